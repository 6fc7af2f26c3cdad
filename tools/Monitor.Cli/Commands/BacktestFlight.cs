using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Confluent.Kafka;
using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Ingest;
using Monitor.Store;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor backtest --flight NAME</c>: a flight (<c>monitor run --candidate</c>) against live over the days both
/// ran, from what each published: live's alerts and suspensions from the alerts and commands topics, the flight's
/// alerts (and the suspensions it withheld) from the candidate topic; read from Kafka (each topic from its beginning
/// to where it ends now, no consumer group, nothing committed) or from files consumed from those topics.
/// </summary>
internal sealed class BacktestFlight
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(10);

    public Option<string?> Name { get; } = new("--flight")
    {
        Description = "compare a live flight (monitor run --candidate; its --candidate-name) with live, from the alerts both published, instead of replaying a history",
    };

    public Option<string?> Kafka { get; } = new("--kafka") { Description = "with --flight: the Kafka cluster (host:port) whose topics to read" };

    public Option<string?> AlertsTopic { get; } = new("--alerts-topic") { Description = "with --flight --kafka: live's alerts (default credit.alerts)" };

    public Option<string?> CommandsTopic { get; } = new("--commands-topic") { Description = "with --flight --kafka: live's permission commands (default credit.permission-commands)" };

    public Option<string?> CandidateTopic { get; } = new("--candidate-topic") { Description = "with --flight --kafka: the flight's alerts (default credit.alerts.candidate)" };

    public Option<FileInfo?> LiveAlerts { get; } = new("--live-alerts") { Description = "with --flight, instead of --kafka: live's alerts, JSON lines consumed from credit.alerts" };

    public Option<FileInfo?> LiveCommands { get; } = new("--live-commands") { Description = "with --flight, instead of --kafka: live's commands, JSON lines consumed from credit.permission-commands" };

    public Option<FileInfo?> FlightAlerts { get; } = new("--flight-alerts") { Description = "with --flight, instead of --kafka: the flight's alerts, JSON lines consumed from credit.alerts.candidate" };

    public Option<string?> From { get; } = new("--from") { Description = "with --flight: the first day compared, yyyy-MM-dd in Beijing time (default: the first day the flight's alerts name)" };

    public Option<string?> To { get; } = new("--to") { Description = "with --flight: the last day compared, yyyy-MM-dd (default: the last day the flight's alerts name)" };

    private IEnumerable<Option> Topics => [AlertsTopic, CommandsTopic, CandidateTopic];

    private IEnumerable<Option> Files => [LiveAlerts, LiveCommands, FlightAlerts];

    public IEnumerable<Option> All => [Name, Kafka, .. Topics, .. Files, From, To];

    /// <summary>The first of a flight's options given (<c>--flight</c> itself first), or null.</summary>
    public string? Given(CommandResult r) => All.FirstOrDefault(o => r.GetResult(o) is not null)?.Name;

    /// <summary>What is wrong with the combination of a flight's options given, or null.</summary>
    public string? Mistake(CommandResult r)
    {
        bool Has(Option o) => r.GetResult(o) is not null;
        if (!Has(Name)) return $"{Given(r)} goes with --flight NAME (compare a live flight with live)";
        var files = Files.Where(Has).Select(o => o.Name).ToList();
        if (Has(Kafka) && files.Count > 0) return $"--kafka reads the topics, {files[0]} is a file consumed from one: give the one or the other";
        if (!Has(Kafka) && Topics.FirstOrDefault(Has) is { } topic) return $"{topic.Name} is read with --kafka HOST:PORT";
        if (Has(Kafka)) return null;
        if (files.Count == 0) return "--flight needs --kafka HOST:PORT, to read credit.alerts, credit.permission-commands and credit.alerts.candidate, or files consumed from them: --live-alerts, --live-commands and --flight-alerts";
        if (Files.FirstOrDefault(o => !Has(o)) is { } missing) return $"--live-alerts, --live-commands and --flight-alerts go together: {missing.Name} is missing";
        return null;
    }

    /// <summary>The name and the days, refused in one line each before anything is read.</summary>
    public void Check(ParseResult p)
    {
        if (FlightRules.Invalid(p.GetValue(Name)) is { } why) throw new CliException($"--flight: {why}");
        var (from, to) = (Day(p, From), Day(p, To));
        if (from > to) throw new CliException($"--from: {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
        foreach (var f in Files.OfType<Option<FileInfo?>>())
            if (p.GetValue(f) is { Exists: false } missing) throw new CliException($"{f.Name}: {missing.FullName} does not exist");
    }

    /// <summary>Reads both sides, compares them over the period; the report and the closing line's start.</summary>
    public async Task<(BacktestReport Report, string Done)> CompareAsync(ParseResult p, AlertStore? store, string? location, CancellationToken ct)
    {
        var name = p.GetValue(Name)!.Trim();
        var sides = p.GetValue(Kafka) is { } servers ? FromKafka(p, servers, ct) : FromFiles(p);
        var span = FlightComparison.Span(name, sides.Flight);
        if (span is null)
        {
            var others = FlightComparison.Flights(sides.Flight);
            throw new CliException($"--flight: no alert of flight {name} in {sides.FlightSource} ({(others.Count == 0 ? "no flight's alerts there" : "flights there: " + string.Join(", ", others))})");
        }
        var period = new FlightPeriod(Day(p, From) ?? span.From, Day(p, To) ?? span.To);
        if (period.From > period.To) throw new CliException($"--from: {period} is no period: the flight's alerts end on {span.To:yyyy-MM-dd}");
        var compared = FlightComparison.Sides(name, sides.Live, sides.LiveCommands, sides.Flight, period);
        IReadOnlyList<Verdict>? verdicts = store is null ? null
            : await BacktestCommand.VerdictsAsync(store, location!, period.Start.AddDays(-1), period.End.AddDays(1), a => period.Holds(a.Day));
        var report = Backtest.Compare(compared.Live, compared.Flight, verdicts, compared.History, $"live: {sides.LiveSource}", $"flight {name}: {sides.FlightSource}", name);
        return (report, $"compared flight {name} with live over {period} ({sides.Live.Count} live and {sides.Flight.Count} candidate alert revisions read)");
    }

    private static DateOnly? Day(ParseResult p, Option<string?> option) =>
        p.GetValue(option) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new CliException($"{option.Name}: '{text}' is not a day yyyy-MM-dd");

    /// <summary>What each side published, and where it was read.</summary>
    private sealed record Published(List<Alert> Live, List<PermissionCommand> LiveCommands, List<Alert> Flight, string LiveSource, string FlightSource);

    private Published FromFiles(ParseResult p)
    {
        var (liveFile, commandsFile, flightFile) = (p.GetValue(LiveAlerts)!, p.GetValue(LiveCommands)!, p.GetValue(FlightAlerts)!);
        return new Published(
            JsonLinesFile.Read(liveFile, "--live-alerts", "an alert (JSON lines consumed from the alerts topic)", OutputJson.ParseAlert),
            JsonLinesFile.Read(commandsFile, "--live-commands", "a permission command (JSON lines consumed from the commands topic)", OutputJson.ParseCommand),
            JsonLinesFile.Read(flightFile, "--flight-alerts", "an alert (JSON lines consumed from the candidate topic)", OutputJson.ParseAlert),
            liveFile.FullName, flightFile.FullName);
    }

    private Published FromKafka(ParseResult p, string servers, CancellationToken ct)
    {
        var (alerts, commands, candidate) = (p.GetValue(AlertsTopic) ?? "credit.alerts", p.GetValue(CommandsTopic) ?? "credit.permission-commands", p.GetValue(CandidateTopic) ?? "credit.alerts.candidate");
        var connection = new ConsumerConfig { BootstrapServers = servers, GroupId = "monitor-backtest", SocketTimeoutMs = 10_000 };
        var live = Read(connection, alerts, "--alerts-topic", OutputJson.ParseAlert, required: true, ct);
        var liveCommands = Read(connection, commands, "--commands-topic", OutputJson.ParseCommand, required: false, ct);
        var flight = Read(connection, candidate, "--candidate-topic", OutputJson.ParseAlert, required: true, ct);
        return new Published(live, liveCommands, flight, $"{alerts} at {servers}", $"{candidate} at {servers}");
    }

    /// <summary>
    /// Every message of <paramref name="topic"/> as it stands, parsed; a message that is not one (another program's on
    /// the topic) is skipped and counted on stderr. A missing topic is refused when <paramref name="required"/>.
    /// </summary>
    private static List<T> Read<T>(ConsumerConfig connection, string topic, string option, Func<string, T> parse, bool required, CancellationToken ct)
    {
        var items = new List<T>();
        var skipped = 0;
        bool exists;
        try
        {
            exists = TopicSnapshot.Read(connection, topic, null, ReadTimeout, value =>
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    items.Add(parse(System.Text.Encoding.UTF8.GetString(value ?? [])));
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException)
                {
                    skipped++;
                }
                return true;
            });
        }
        catch (KafkaException e)
        {
            throw new CliException(KafkaErrorText.IsUnreachable(e.Error)
                ? $"--kafka: cannot reach {connection.BootstrapServers} to read {topic} ({KafkaErrorText.Short(e.Error.Reason)})"
                : $"--kafka: cannot read {topic} at {connection.BootstrapServers}: {KafkaErrorText.Short(e.Error.Reason)}");
        }
        catch (TimeoutException e)
        {
            throw new CliException($"--kafka: {e.Message}");
        }
        if (!exists && required) throw new CliException($"{option}: no topic {topic} at {connection.BootstrapServers}");
        if (!exists) Console.Error.WriteLine($"no topic {topic} at {connection.BootstrapServers}: live ordered no suspension there");
        if (skipped > 0) Console.Error.WriteLine($"{topic}: {skipped} messages that are not {(typeof(T) == typeof(Alert) ? "alerts" : "commands")} skipped");
        return items;
    }
}
