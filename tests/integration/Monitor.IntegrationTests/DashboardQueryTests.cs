using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Ingest;
using Monitor.Metrics;
using Monitor.Simulator;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// Every query of every shipped dashboard (panels, template variables, annotations) runs against a real
/// InfluxDB filled by a simulated bank run through the live Kafka path, with officers' decisions and a
/// candidate-settings replay, after Grafana's macros are expanded; each must return data. A dashboard whose
/// query is broken, or names a measurement or tag the monitor does not write, fails here.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed partial class DashboardQueryTests(MockKafkaFixture kafka, InfluxServer influx) : IClassFixture<InfluxServer>
{
    private const string Db = "credit_monitor";
    private static readonly string[] WallClock = ["\"pipeline\"", "\"consumer_lag\"", "\"metrics_writer\"", "\"alerts_by_state\""];

    [Fact]
    public async Task Every_dashboard_query_returns_data_from_a_simulated_run()
    {
        var started = DateTimeOffset.UtcNow;
        var (events, suspended) = await FillAsync();
        var vars = new Dictionary<string, string>
        {
            ["branch"] = suspended.BranchId, ["user"] = suspended.UserId, ["rule"] = "ADMIN_QUERY", ["candidate"] = "candidate",
        };
        var eventRange = (From: events[0].OccurredAt.AddHours(-1), To: events[^1].OccurredAt.AddHours(2));
        var wallRange = (From: started.AddMinutes(-1), To: DateTimeOffset.UtcNow.AddMinutes(1));

        var dir = Path.Combine(Root(), "dashboards", "json");
        var files = Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["branch.json", "overview.json", "pipeline.json", "tuning.json", "user.json"], files.Select(Path.GetFileName));
        var failures = new List<string>();
        var ran = 0;
        foreach (var file in files)
        {
            var board = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            foreach (var (where, query, node, _) in Grafana.Dashboards.Queries(board))
            {
                var wall = WallClock.Any(m => query.Contains(m, StringComparison.Ordinal));
                var expanded = Expand(query, vars, wall ? wallRange : eventRange, wall ? "1s" : "15m");
                ran++;
                try
                {
                    var results = await influx.QueryAsync(Db, expanded);
                    if (results[0].TryGetProperty("error", out var error)) failures.Add($"{Path.GetFileName(file)} {where}: {error.GetString()}\n  {expanded}");
                    else if (!HasData(results[0], query.StartsWith("SHOW", StringComparison.Ordinal) ? vars.Values : null)) failures.Add($"{Path.GetFileName(file)} {where}: no data\n  {expanded}");
                    else if (MissingColumns(results[0], node) is { Count: > 0 } missing) failures.Add($"{Path.GetFileName(file)} {where}: names column(s) {string.Join(", ", missing)} the answer does not have\n  {expanded}");
                }
                catch (InvalidOperationException e)
                {
                    failures.Add($"{Path.GetFileName(file)} {where}: {e.Message}\n  {expanded}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {ran} dashboard queries failed:\n" + string.Join("\n", failures));
        Assert.True(ran >= 40, $"only {ran} queries found"); // 42 when written: the collection itself must not silently find none
    }

    [Fact]
    public async Task Dashboard_links_point_at_shipped_dashboards_and_use_their_variables()
    {
        var boards = Directory.GetFiles(Path.Combine(Root(), "dashboards", "json"), "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        var uids = boards.ToDictionary(b => b["uid"]!.GetValue<string>(), b => b["templating"]!["list"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToHashSet());
        var links = boards.SelectMany(b => LinkUrl().Matches(b.ToJsonString()).Select(m => (Uid: m.Groups[1].Value, Vars: m.Groups[2].Value))).ToList();
        Assert.Contains(links, l => l.Uid == "monitor-user"); // branch → user
        Assert.Contains(links, l => l.Uid == "monitor-branch"); // overview → branch
        foreach (var (uid, query) in links)
        {
            Assert.True(uids.ContainsKey(uid), $"a link points at {uid}, which is not shipped");
            foreach (Match v in Regex.Matches(query, @"var-(\w+)=")) Assert.Contains(v.Groups[1].Value, uids[uid]);
        }
        Assert.All(boards, b => Assert.Contains(b["annotations"]!["list"]!.AsArray(), a => a!["name"]?.GetValue<string>() == "Suspensions" || b["uid"]!.GetValue<string>() is "monitor-pipeline" or "monitor-tuning"));
        await Task.CompletedTask;
    }

    /// <summary>A simulated bank through Kafka into the graph, the store and InfluxDB; officers act; a candidate replay follows.</summary>
    private async Task<(List<QueryLogEvent> Events, PermissionCommand Suspended)> FillAsync()
    {
        await influx.CreateDatabaseAsync(Db);
        var events = new BankSimulator(new SimulationOptions { Seed = 5, Days = 10 }).Events().ToList();
        var options = kafka.Options("dashboards");
        kafka.Produce(options.InputTopic, events.Select(MockKafkaFixture.Message));
        var officersClock = new FixedClock(events[^1].OccurredAt.AddHours(1));
        var store = await AlertStore.OpenAsync(Path.Combine(Directory.CreateTempSubdirectory("monitor-dash-").FullName, "monitor.db"), officersClock);
        var writer = new Influx1Writer(new InfluxOptions { Url = influx.Url, Database = Db, FlushInterval = TimeSpan.FromMilliseconds(100) });

        await using (var graph = DetectionGraph.Start(DetectorContext.Default().Current, TimeProvider.System))
        {
            var ingest = new KafkaIngest(options, graph) { Ledger = new StoreLedger(store) };
            var reporter = new MetricsReporter(writer, ingest.Stats, TimeProvider.System, store);
            ingest.BatchPublished += reporter.Observe;
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var health = reporter.RunAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            var run = Task.Run(() => ingest.RunAsync(cts.Token));
            while (ingest.Stats.Events < events.Count && !run.IsCompleted) await Task.Delay(50);
            var suspended = (await store.CommandsAsync(null)).Select(c => c.Command).Where(c => c.Action == "suspend").MinBy(c => c.IssuedAt)!;
            var open = await store.AlertsAsync(new AlertFilter { State = AlertStates.Open, Limit = 2 });
            await store.TransitionAsync(open[0].Alert.AlertId, AlertStates.Confirmed, new Actor("officer-wang", "officer"), "verified with the branch");
            await store.TransitionAsync(open[1].Alert.AlertId, AlertStates.Dismissed, new Actor("officer-wang", "officer"), "approved overtime");
            reporter.Officer((await store.ReinstateAsync(suspended.UserId, new Actor("officer-wang", "officer"), "suspended by mistake")).Value!);
            await Task.Delay(600); // a few more health points, with the verdicts counted
            await cts.CancelAsync();
            await run;
            await health;
            var candidateGraph = DetectionGraph.Start(DetectorSnapshot.Load(SettingsLoader.Parse("""{ "volume": { "userDaily": 20 } }""")), TimeProvider.System);
            await using (candidateGraph)
            {
                var replay = new ReplayRunner(candidateGraph);
                var candidate = new MetricsReporter(writer, replay.Stats, TimeProvider.System, run: "candidate");
                replay.BatchPublished += candidate.Observe;
                await replay.RunAsync(new StringReader(string.Join("\n", events.Select(EventJson.Serialize))), TextWriter.Null, null, null);
            }
            await writer.StopAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, writer.Counters.Dropped);
            return (events, suspended);
        }
    }

    /// <summary>The columns an annotation takes its text, tags or title from that the query's answer lacks (Grafana shows none of them).</summary>
    private static List<string> MissingColumns(JsonElement result, JsonNode node)
    {
        var columns = result.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!)).ToHashSet();
        return [.. new[] { "textColumn", "tagsColumn", "titleColumn", "timeEndColumn" }
            .SelectMany(k => (node[k]?.GetValue<string>() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(c => !columns.Contains(c))];
    }

    /// <summary>Grafana's InfluxQL macros and template variables, expanded as Grafana does for one selected value.</summary>
    internal static string Expand(string query, IReadOnlyDictionary<string, string> vars, (DateTimeOffset From, DateTimeOffset To) range, string interval)
    {
        var q = query
            .Replace("$timeFilter", $"time >= {range.From.ToUnixTimeMilliseconds()}ms and time <= {range.To.ToUnixTimeMilliseconds()}ms", StringComparison.Ordinal)
            .Replace("$__interval_ms", ((long)ParseInterval(interval).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__interval", interval, StringComparison.Ordinal)
            .Replace("$interval", interval, StringComparison.Ordinal);
        foreach (var (name, value) in vars.OrderByDescending(v => v.Key.Length))
            q = q.Replace("${" + name + "}", Regex.Escape(value), StringComparison.Ordinal).Replace("$" + name, Regex.Escape(value), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\$(?!tag_)\w", q);
        return q;
    }

    private static TimeSpan ParseInterval(string s) => s[^1] switch
    {
        's' => TimeSpan.FromSeconds(int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        'm' => TimeSpan.FromMinutes(int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromHours(int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>At least one series with a row; for a variable query, one of the values the test selects must be offered.</summary>
    private static bool HasData(JsonElement result, IEnumerable<string>? selectable)
    {
        if (!result.TryGetProperty("series", out var series) || series.GetArrayLength() == 0) return false;
        var rows = series.EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray()).ToList();
        if (rows.Count == 0) return false;
        if (selectable is null) return true;
        var offered = rows.Select(r => r[r.GetArrayLength() - 1].ToString()).ToHashSet();
        return selectable.Any(offered.Contains);
    }

    private static string Root() => Cli.Root;

    [GeneratedRegex(@"/d/([\w-]+)/[\w-]+\?([^""]*)")]
    private static partial Regex LinkUrl();
}
