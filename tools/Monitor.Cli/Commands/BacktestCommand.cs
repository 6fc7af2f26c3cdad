using System.CommandLine;
using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Hosting;
using Monitor.Ingest;
using Monitor.Store;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor backtest</c>: one history replayed under the baseline and the candidate settings side by side (two
/// detection graphs in memory fed from one read of the file), compared rule by rule and scored against the officers'
/// verdicts in the store. Nothing is written to the store, and no Kafka is involved.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var events = new Option<FileInfo>("--events") { Description = "the history: events, one JSON object per line (docs/contract.md), e.g. a day's or a month's query log", Required = true };
        var candidate = new Option<FileInfo>("--candidate") { Description = "the settings to try (JSON, docs/settings.md)", Required = true };
        var baseline = new Option<FileInfo?>("--baseline") { Description = "the settings to compare with, usually those in force (JSON); the defaults when left out" };
        var store = new Option<string?>("--store") { Description = "an alert store to read the officers' verdicts from (confirmed = violation, dismissed = false alert); only read, never written" };
        var output = new Option<FileInfo?>("--output") { Description = "write the comparison as JSON (docs/tuning.md)" };
        var chart = new Option<FileInfo?>("--chart") { Description = "draw alerts per rule per day, baseline against candidate, as a PNG (default: --output's name with .png)" };
        var cmd = new Command("backtest", "replay a history under the baseline and the candidate settings side by side and compare their alerts rule by rule")
        {
            events, candidate, baseline, store, output, chart,
        };
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var baseFile = p.GetValue(baseline);
            var candFile = p.GetValue(candidate)!;
            var baseSettings = CommonOptions.LoadSettings(baseFile, "--baseline");
            var candSettings = CommonOptions.LoadSettings(candFile, "--candidate");
            var inFile = p.GetValue(events)!;
            if (!inFile.Exists) throw new CliException($"--events: {inFile.FullName} {(Directory.Exists(inFile.FullName) ? "is a folder, not an events file" : "does not exist")}");
            var location = p.GetValue(store);
            AlertStore? alertStore = location is null ? null : await CommonOptions.OpenExistingStoreAsync(location);
            var outFile = p.GetValue(output);
            var chartFile = p.GetValue(chart) ?? (outFile is null ? null : new FileInfo(Path.ChangeExtension(outFile.FullName, ".png")));
            if (outFile is not null && chartFile is not null && outFile.FullName == chartFile.FullName)
                throw new CliException($"--chart: {chartFile.FullName} is also --output; name another file");
            // The outputs are opened before the replay: one that cannot be written is said at once, not after it.
            await using var jsonOut = outFile is null ? null : Cli.Writer(outFile, "--output");
            await using var chartOut = chartFile is null ? null : Cli.Writer(chartFile, "--chart");

            var sw = System.Diagnostics.Stopwatch.StartNew();
            // Two hosts, each with its graph in an actor system of its own and its state in memory only.
            await using var baseHost = await MonitorHost.StartAsync(new MonitorHostOptions(baseSettings), ct);
            await using var candHost = await MonitorHost.StartAsync(new MonitorHostOptions(candSettings), ct);
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

            IReadOnlyList<Verdict>? verdicts = null;
            if (alertStore is not null)
            {
                try
                {
                    // Only the verdicts on alerts of the replayed span: a store with a longer history does not lower recall.
                    verdicts = baseSide.From is { } from && baseSide.To is { } to
                        ? [.. (await alertStore.JudgedAlertsAsync(from, to)).Select(a => new Verdict(a.Alert.AlertId, a.Alert.Rule, a.State == AlertStates.Confirmed))]
                        : [];
                }
                catch (System.Data.Common.DbException e)
                {
                    throw new CliException($"--store: cannot read the verdicts in {OfficerService.Redact(location!)}: {e.Message}");
                }
            }
            var report = Backtest.Compare(baseSide.Run(), candSide.Run(), verdicts, new BacktestHistory(baseSide.Events, baseSide.From, baseSide.To),
                baseFile?.FullName ?? "defaults", candFile.FullName);
            Console.Write(BacktestView.Format(report, location is null ? null : OfficerService.Redact(location)));
            if (jsonOut is not null)
            {
                await jsonOut.WriteAsync(report.ToJson());
                await jsonOut.WriteLineAsync();
            }
            if (chartOut is not null)
            {
                byte[] png;
                try
                {
                    png = BacktestChart.Png(report);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or TypeInitializationException or DllNotFoundException)
                {
                    // SkiaSharp's native library missing or a layout ScottPlot refuses: the table and the JSON stand.
                    throw new CliException($"--chart: cannot draw {chartFile!.FullName}: {e.Message}");
                }
                await chartOut.BaseStream.WriteAsync(png, ct);
            }
            var s = baseSide.Runner.Stats;
            Console.Error.WriteLine($"backtested {s.Events} events under both settings in {sw.Elapsed.TotalSeconds:F1} s ({s.DeadLettered} dead letters)"
                + (outFile is null ? "" : $"; wrote {outFile.FullName}") + (chartFile is null ? "" : $" and {chartFile.FullName}"));
            return 0;
        }));
        return cmd;
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
