using System.CommandLine;
using System.CommandLine.Parsing;
using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Hosting;
using Monitor.Ingest;
using Monitor.Store;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor backtest --events --candidate [--baseline]</c>: one history replayed under the baseline and the candidate
/// settings side by side (two detection graphs in memory fed from one read of the file). No Kafka is involved.
/// </summary>
internal sealed class BacktestReplay
{
    public Option<FileInfo?> Events { get; } = new("--events") { Description = "the history to replay: events, one JSON object per line (docs/contract.md), e.g. a day's or a month's query log" };

    public Option<FileInfo?> Candidate { get; } = new("--candidate") { Description = "with --events: the settings to try (JSON, docs/settings.md)" };

    public Option<FileInfo?> Baseline { get; } = new("--baseline") { Description = "with --events: the settings to compare with, usually those in force (JSON); the defaults when left out" };

    public IEnumerable<Option> All => [Events, Candidate, Baseline];

    /// <summary>The first of this backtest's options given, or null.</summary>
    public string? Given(CommandResult r) => All.FirstOrDefault(o => r.GetResult(o) is { Implicit: false })?.Name;

    /// <summary>What a replayed backtest lacks, or null.</summary>
    public string? Missing(CommandResult r) =>
        (r.GetResult(Events) is null, r.GetResult(Candidate) is null) switch
        {
            (true, true) => "backtest needs --events and --candidate, a history to replay under the candidate settings",
            (true, false) => "--candidate needs --events, the history to replay",
            (false, true) => "--events needs --candidate, the settings to try",
            _ => null,
        };

    /// <summary>The settings and the history, refused in one line each before anything is replayed.</summary>
    public void Check(ParseResult p)
    {
        CommonOptions.LoadSettings(p.GetValue(Baseline), "--baseline");
        CommonOptions.LoadSettings(p.GetValue(Candidate), "--candidate");
        var inFile = p.GetValue(Events)!;
        if (!inFile.Exists) throw new CliException($"--events: {inFile.FullName} {(Directory.Exists(inFile.FullName) ? "is a folder, not an events file" : "does not exist")}");
    }

    /// <summary>Replays the history under both settings and compares them; the report and the closing line's start.</summary>
    public async Task<(BacktestReport Report, string Done)> CompareAsync(ParseResult p, AlertStore? store, string? location, CancellationToken ct)
    {
        var baseFile = p.GetValue(Baseline);
        var candFile = p.GetValue(Candidate)!;
        var inFile = p.GetValue(Events)!;
        // Two hosts, each with its graph in an actor system of its own and its state in memory only.
        await using var baseHost = await MonitorHost.StartAsync(new MonitorHostOptions(CommonOptions.LoadSettings(baseFile, "--baseline")), ct);
        await using var candHost = await MonitorHost.StartAsync(new MonitorHostOptions(CommonOptions.LoadSettings(candFile, "--candidate")), ct);
        var baseSide = new Collected(baseHost.Replay(null, null, "backtest"));
        var candSide = new Collected(candHost.Replay(null, null, "backtest"));
        try
        {
            await using var reader = new FileStream(inFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await ReplayRunner.RunSideBySideAsync(reader, [baseSide.Runner, candSide.Runner], ct);
        }
        catch (IOException e)
        {
            throw new CliException($"--events: cannot read {inFile.FullName}: {Cli.Reason(e)}");
        }

        IReadOnlyList<Verdict>? verdicts = store is null ? null
            : baseSide.From is { } from && baseSide.To is { } to ? await BacktestCommand.VerdictsAsync(store, location!, from, to)
            : [];
        var report = Backtest.Compare(baseSide.Run(), candSide.Run(), verdicts, new BacktestHistory(baseSide.Events, baseSide.From, baseSide.To),
            baseFile?.FullName ?? "defaults", candFile.FullName);
        var s = baseSide.Runner.Stats;
        return (report, $"backtested {s.Events} events under both settings ({s.DeadLettered} dead letters)");
    }

    /// <summary>What one side's replay published: its alert revisions, its commands and the span of its events.</summary>
    private sealed class Collected
    {
        private readonly List<Alert> _alerts = [];
        private readonly List<PermissionCommand> _commands = [];

        public Collected(ReplayRunner runner)
        {
            Runner = runner;
            runner.BatchPublished += report =>
            {
                _alerts.AddRange(report.Alerts);
                _commands.AddRange(report.Commands);
                foreach (var e in report.Events)
                {
                    Events++;
                    if (From is null || e.OccurredAt < From) From = e.OccurredAt;
                    if (To is null || e.OccurredAt > To) To = e.OccurredAt;
                }
            };
        }

        public ReplayRunner Runner { get; }

        public long Events { get; private set; }

        public DateTimeOffset? From { get; private set; }

        public DateTimeOffset? To { get; private set; }

        public BacktestRun Run() => new(_alerts, _commands);
    }
}
