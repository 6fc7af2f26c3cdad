using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// A candidate flown beside live over four simulated days, as an analyst does it: <c>./monitor simulate --kafka</c>
/// onto the query log, <c>./monitor run --candidate</c> with its metrics in a real InfluxDB, officers confirming and
/// dismissing live's alerts through the API, then SIGTERM. What both sides published is read back from the topics
/// (as raw lines, as a user consuming them would save them), for the tests to count the backtest and the tuning
/// dashboard against (<see cref="FlightBacktestTests"/>, <see cref="Grafana.TuningFlightPanelsTests"/>).
/// </summary>
public sealed partial class FlownBank : IAsyncLifetime
{
    public const string Name = "flown bank";
    public const string Flight = "lower-volume";
    public const string Db = "flight";
    public const string InputTopic = "flown.query-log";
    public const string AlertsTopic = "flown.alerts";
    public const string CommandsTopic = "flown.permission-commands";
    public const string CandidateTopic = "flown.alerts.candidate";
    private const string Officer = "mk_flown-bank-officer";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    // The candidate: a lower daily volume threshold (more VOLUME_SPIKE), counter queries exempt from the night rule
    // (fewer OFF_HOURS), and suspension by score (other suspensions).
    private const string Candidate = """
        { "volume": { "userDaily": 30 }, "offHours": { "exemptChannels": ["batch", "self_service_kiosk", "counter"] }, "suspension": { "minScore": 75 } }
        """;

    private MockCluster? _kafka;

    public InfluxServer Influx { get; } = new();

    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("monitor-flown-");

    public string Servers => _kafka!.BootstrapServers;

    public string Store => Path.Combine(Dir.FullName, "monitor.db");

    /// <summary>The lines on the alerts topic, the commands topic and the candidate topic, in the order read.</summary>
    public List<string> LiveLines { get; private set; } = [];

    public List<string> CommandLines { get; private set; } = [];

    public List<string> FlownLines { get; private set; } = [];

    public List<Alert> Live => [.. LiveLines.Select(OutputJson.ParseAlert)];

    public List<PermissionCommand> LiveCommands => [.. CommandLines.Select(OutputJson.ParseCommand)];

    public List<Alert> Flown => [.. FlownLines.Select(OutputJson.ParseAlert)];

    /// <summary>The officers' verdicts given through the API: alert id → confirmed (true) or dismissed (false).</summary>
    public Dictionary<string, bool> Verdicts { get; } = [];

    /// <summary>Everything <c>run</c> printed, for assertion messages.</summary>
    public string Transcript { get; private set; } = "";

    public string In(string name) => Path.Combine(Dir.FullName, name);

    /// <summary>Each alert id at its highest revision.</summary>
    public static Dictionary<string, Alert> Final(IEnumerable<Alert> revisions) =>
        revisions.GroupBy(a => a.AlertId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Revision)!);

    public async Task InitializeAsync()
    {
        _kafka = MockCluster.Start();
        await Influx.InitializeAsync();
        await Influx.CreateDatabaseAsync(Db);
        await File.WriteAllTextAsync(In("settings.json"), $$$"""{"api": {"keys": [{"name": "officer-wang", "role": "officer", "sha256": "{{{ApiKeys.Hash(Officer)}}}"}]}}""");
        await File.WriteAllTextAsync(In($"{Flight}.json"), Candidate);

        var (code, simulated) = await Cli.Run("simulate", "--kafka", Servers, "--topic", InputTopic, "--labels", In("labels.jsonl"), "--days", "4", "--seed", "19",
            "--operators", "2", "--incidents", "volume_spike=2,off_hours=2,admin_query=1,login_failures=1");
        Assert.True(code == 0, simulated);
        var events = long.Parse(SimulatedCount().Match(simulated).Groups[1].Value, CultureInfo.InvariantCulture);

        var port = Ports.Free();
        await using var run = CliProcess.StartIn(Dir.FullName, "run", "--kafka", Servers, "--group", "flown", "--input-topic", InputTopic,
            "--alerts-topic", AlertsTopic, "--commands-topic", CommandsTopic, "--dead-letter-topic", "flown.dlq", "--store", Store,
            "--settings", In("settings.json"), "--models", In("models"), "--api", $"127.0.0.1:{port}",
            "--influx", Influx.Url.ToString(), "--influx-db", Db, "--candidate", In($"{Flight}.json"), "--candidate-topic", CandidateTopic);
        try
        {
            // Every event read (the pipeline's health point, every 10 s), then the officers judge live's alerts in their queue.
            var deadline = DateTime.UtcNow + Patience;
            while (await ConsumedAsync() < events && DateTime.UtcNow < deadline && !run.HasExited) await Task.Delay(500);
            Assert.True(await ConsumedAsync() >= events, run.Transcript);
            await JudgeAsync(port);
            Assert.Equal(0, await run.StopAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Transcript = run.Transcript;
        }

        // What each side published, by the counts the stop's summary gives.
        var stopped = run.Stderr.Select(l => Stopped().Match(l)).Single(m => m.Success);
        Assert.Equal(events, long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture));
        var flown = run.Stderr.Select(l => FlightSummary().Match(l)).Single(m => m.Success);
        LiveLines = Read(AlertsTopic, stopped.Groups[2].Value);
        CommandLines = Read(CommandsTopic, stopped.Groups[3].Value);
        FlownLines = Read(CandidateTopic, flown.Groups[1].Value);
        Assert.Contains(Final(Live).Values, a => a.SuspensionRequested);
        Assert.Contains(Flown, a => a.WithheldCommand is not null);
    }

    /// <summary>The events the live pipeline says it has read, from its last health point in InfluxDB.</summary>
    private async Task<long> ConsumedAsync()
    {
        var rows = InfluxWriteTests.Rows(await Influx.QueryAsync(Db, "SELECT last(\"events\") AS n FROM \"pipeline\""));
        return rows.Count == 0 ? 0 : rows[0]["n"].GetInt64();
    }

    /// <summary>
    /// Officers act on live's alerts through the API: the night queries and administrators' reads are confirmed; of
    /// the volume alerts the first is confirmed, the others dismissed as month-end batches.
    /// </summary>
    private async Task JudgeAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Officer);
        var queue = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/alerts?limit=1000")).RootElement.EnumerateArray()
            .Select(a => a.GetProperty("alert")).Select(a => (Id: a.GetProperty("alertId").GetString()!, Rule: a.GetProperty("rule").GetString()!))
            .OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        foreach (var a in queue.Where(a => a.Rule is RuleIds.OffHours or RuleIds.AdminQuery)) Verdicts[a.Id] = true;
        foreach (var (a, i) in queue.Where(a => a.Rule == RuleIds.VolumeSpike).Select((a, i) => (a, i))) Verdicts[a.Id] = i == 0;
        foreach (var (id, violation) in Verdicts)
        {
            using var body = new StringContent(violation ? """{"reason": "verified with the branch"}""" : """{"reason": "month-end batch approved by compliance"}""", Encoding.UTF8, "application/json");
            using var answer = await http.PostAsync($"api/alerts/{id}/{(violation ? "confirm" : "dismiss")}", body);
            Assert.True(answer.IsSuccessStatusCode, $"{id}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
        Assert.Contains(Verdicts, v => v.Value);
        Assert.Contains(Verdicts, v => !v.Value);
    }

    private List<string> Read(string topic, string count) =>
        [.. MockKafkaFixture.ReadAll(Servers, topic, int.Parse(count, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(60)).Select(r => Encoding.UTF8.GetString(r.Message.Value))];

    public async Task DisposeAsync()
    {
        await Influx.DisposeAsync();
        _kafka?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Dir.Delete(recursive: true);
    }

    [GeneratedRegex(@"simulated (\d+) events")]
    private static partial Regex SimulatedCount();

    [GeneratedRegex(@"^stopped after (\d+) events \((\d+) alert revisions, (\d+) commands, \d+ dead letters\)")]
    private static partial Regex Stopped();

    [GeneratedRegex(@"^flight lower-volume: \d+ events, (\d+) alert revisions")]
    private static partial Regex FlightSummary();
}

[CollectionDefinition(FlownBank.Name)]
public sealed class FlownBankCollection : ICollectionFixture<FlownBank>;
