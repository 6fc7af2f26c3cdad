using System.Text.Json;
using Monitor.Contracts;
using Monitor.Ingest;
using Monitor.Metrics;
using Monitor.Store;
using Monitor.Testing;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>
/// The provisioned Grafana alerting (dashboards/provisioning/alerting): an alert rule on the open critical
/// alerts the monitor counts in InfluxDB, a notification policy that routes it, and the webhook contact point
/// it reaches. No Grafana runs here, so the files are checked as Grafana reads them, and the rule's query runs
/// against a real InfluxDB fed by the monitor's own metrics reporter over a real alert store.
/// </summary>
public sealed class AlertingProvisioningTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    private const string Db = "credit_monitor";

    [Fact]
    public void The_alert_rule_reads_a_provisioned_data_source_and_its_critical_label_reaches_the_webhook_contact_point()
    {
        var dataSources = Provisioning.Load("datasources", "influxdb.yaml")["datasources"].AllNodes.OfType<YamlMappingNode>()
            .Where(d => d.Children.ContainsKey("uid")).ToDictionary(d => S(d, "uid"), d => S(d, "type"));
        var alerting = Directory.GetFiles(Path.Combine(Provisioning.Dir, "alerting"), "*.yaml").Select(Provisioning.Load).ToList();
        Assert.All(alerting, f => Assert.Equal("1", S(f, "apiVersion")));

        // The contact point: a webhook whose URL comes from Grafana's environment.
        var contactPoints = Sequence(alerting, "contactPoints");
        var contactPoint = Assert.Single(contactPoints);
        var receiver = Assert.IsType<YamlMappingNode>(Assert.Single((YamlSequenceNode)contactPoint["receivers"]));
        Assert.Equal("webhook", S(receiver, "type"));
        Assert.False(string.IsNullOrWhiteSpace(S(receiver, "uid")));
        Assert.Equal("${MONITOR_ALERT_WEBHOOK_URL}", S((YamlMappingNode)receiver["settings"], "url"));
        var contactPointName = S(contactPoint, "name");

        // The rule.
        var group = Assert.Single(Sequence(alerting, "groups"));
        Assert.Equal(Provisioning.Load("dashboards", "monitor.yaml")["providers"].AllNodes.OfType<YamlMappingNode>().Where(p => p.Children.ContainsKey("folder")).Select(p => S(p, "folder")).First(), S(group, "folder"));
        Assert.Matches(@"^\d+[smh]$", S(group, "interval"));
        var rule = Assert.IsType<YamlMappingNode>(Assert.Single((YamlSequenceNode)group["rules"]));
        Assert.False(string.IsNullOrWhiteSpace(S(rule, "uid")));
        Assert.False(string.IsNullOrWhiteSpace(S(rule, "title")));
        Assert.Contains(S(rule, "noDataState"), new[] { "OK", "NoData", "Alerting", "KeepLast" });
        Assert.Contains(S(rule, "execErrState"), new[] { "OK", "Error", "Alerting", "KeepLast" });
        var data = ((YamlSequenceNode)rule["data"]).Cast<YamlMappingNode>().ToList();
        var refIds = new HashSet<string>();
        foreach (var step in data)
        {
            var refId = S(step, "refId");
            var uid = S(step, "datasourceUid");
            var model = (YamlMappingNode)step["model"];
            Assert.Equal(refId, S(model, "refId"));
            if (uid == "__expr__")
                Assert.True(refIds.Contains(S(model, "expression")), $"expression {refId} reads {S(model, "expression")}, which no earlier step defines");
            else
            {
                Assert.True(dataSources.TryGetValue(uid, out var type), $"step {refId} reads data source {uid}, which is not provisioned ({string.Join(", ", dataSources.Keys)})");
                Assert.Equal("influxdb", type);
                Assert.Equal("true", S(model, "rawQuery"));
                Assert.Contains("$timeFilter", S(model, "query"), StringComparison.Ordinal);
                var range = (YamlMappingNode)step["relativeTimeRange"];
                Assert.True(int.Parse(S(range, "from"), System.Globalization.CultureInfo.InvariantCulture) > int.Parse(S(range, "to"), System.Globalization.CultureInfo.InvariantCulture));
            }
            refIds.Add(refId);
        }
        Assert.Contains(S(rule, "condition"), refIds);
        Assert.Equal("critical", S((YamlMappingNode)rule["labels"], "severity"));

        // It is drawn on a panel of a shipped dashboard.
        var board = Dashboards.All().Select(b => b.Board).Single(b => b["uid"]!.GetValue<string>() == S(rule, "dashboardUid"));
        Assert.Contains(board["panels"]!.AsArray(), p => p!["id"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture) == S(rule, "panelId"));

        // The policy: the root and the critical route send to the contact point.
        var policy = Assert.Single(Sequence(alerting, "policies"));
        Assert.Equal(contactPointName, S(policy, "receiver"));
        var routes = ((YamlSequenceNode)policy["routes"]).Cast<YamlMappingNode>();
        Assert.Contains(routes, r => S(r, "receiver") == contactPointName
            && ((YamlSequenceNode)r["object_matchers"]).Cast<YamlSequenceNode>().Any(m => m.Select(x => ((YamlScalarNode)x).Value).SequenceEqual(["severity", "=", "critical"])));
    }

    [Fact]
    public async Task The_alert_rule_fires_on_the_open_critical_alerts_the_monitor_counts_and_stops_once_officers_handle_them()
    {
        await influx.CreateDatabaseAsync(Db);
        var store = await AlertStore.OpenAsync(Path.Combine(Directory.CreateTempSubdirectory("monitor-alerting-").FullName, "monitor.db"), TimeProvider.System);
        await store.RecordAsync([Alert("c1", "critical"), Alert("c2", "critical"), Alert("c3", "critical"), Alert("h1", "high")], [], []);
        var officer = new Actor("officer-wang", "officer");
        await store.TransitionAsync("c3", AlertStates.Acknowledged, officer, null);

        await ReportAsync(store);
        Assert.Equal(2, await EvaluateAsync()); // c1 and c2: open and critical (c3 is acknowledged, h1 is high)

        await store.TransitionAsync("c1", AlertStates.Confirmed, officer, "verified with the branch");
        await store.TransitionAsync("c2", AlertStates.Dismissed, officer, "approved overtime");
        await Task.Delay(20); // the next count is stamped later than the first
        await ReportAsync(store);
        Assert.Equal(0, await EvaluateAsync());
    }

    /// <summary>One round of the monitor's health reporting (every 10 s in a run) into the real InfluxDB.</summary>
    private async Task ReportAsync(AlertStore store)
    {
        var writer = new Influx1Writer(new InfluxOptions { Url = influx.Url, Database = Db, FlushInterval = TimeSpan.FromMilliseconds(50) });
        using (var stopped = new CancellationTokenSource())
        {
            await stopped.CancelAsync();
            await new MetricsReporter(writer, new PipelineStats(), TimeProvider.System, store).RunAsync(TimeSpan.FromSeconds(10), stopped.Token); // writes once, at stop
        }
        await writer.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, writer.Counters.Dropped);
    }

    /// <summary>
    /// The rule as Grafana evaluates it: query A over its relative time range (the data source expands
    /// <c>$timeFilter</c>), B reduces A to its last value, C compares B with the threshold. Returns B, after
    /// checking that C fires exactly when B is above 0.
    /// </summary>
    private async Task<double> EvaluateAsync()
    {
        var rule = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)Provisioning.Load("alerting", "rules.yaml")["groups"])[0])["rules"])[0];
        var steps = ((YamlSequenceNode)rule["data"]).Cast<YamlMappingNode>().ToDictionary(s => S(s, "refId"));
        Assert.Equal(["A", "B", "C"], steps.Keys);
        var a = steps["A"];
        var range = (YamlMappingNode)a["relativeTimeRange"];
        var now = DateTimeOffset.UtcNow;
        var expanded = DashboardQueryTests.Expand(S((YamlMappingNode)a["model"], "query"),
            new Dictionary<string, string>(), (now.AddSeconds(-double.Parse(S(range, "from"), System.Globalization.CultureInfo.InvariantCulture)), now.AddSeconds(-double.Parse(S(range, "to"), System.Globalization.CultureInfo.InvariantCulture))), "1s");
        var result = (await influx.QueryAsync(Db, expanded))[0];
        Assert.False(result.TryGetProperty("error", out var error), $"{expanded}: {error}");
        Assert.True(result.TryGetProperty("series", out var series), $"{expanded}: no data");
        var values = Assert.Single(series.EnumerateArray()).GetProperty("values").EnumerateArray().Select(r => r[1].GetDouble()).ToList();

        var b = (YamlMappingNode)steps["B"]["model"];
        Assert.Equal(("reduce", "A", "last"), (S(b, "type"), S(b, "expression"), S(b, "reducer")));
        var reduced = values[^1];
        var c = (YamlMappingNode)steps["C"]["model"];
        Assert.Equal(("threshold", "B"), (S(c, "type"), S(c, "expression")));
        var evaluator = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)c["conditions"])[0])["evaluator"];
        Assert.Equal("gt", S(evaluator, "type"));
        var threshold = double.Parse(((YamlScalarNode)((YamlSequenceNode)evaluator["params"])[0]).Value!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, threshold);
        Assert.Equal("C", S(rule, "condition"));
        return reduced;
    }

    private static Alert Alert(string id, string severity) => new()
    {
        AlertId = id, Revision = 1, Rule = "ADMIN_QUERY", EntityType = "user", EntityId = "UA0101", UserId = "UA0101", BranchId = "SB0101",
        Severity = severity, Score = severity == "critical" ? 85 : 65, Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1,
        Explanation = "admin query", Evidence = ["e1"],
    };

    private static List<YamlMappingNode> Sequence(IEnumerable<YamlMappingNode> files, string key) =>
        [.. files.Where(f => f.Children.ContainsKey(key)).SelectMany(f => ((YamlSequenceNode)f[key]).Cast<YamlMappingNode>())];

    private static string S(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}
