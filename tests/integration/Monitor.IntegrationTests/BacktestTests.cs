using System.Text.Json;
using Microsoft.Data.Sqlite;
using Monitor.Contracts;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// Ten simulated days replayed into an alert store, where officers confirm some alerts and dismiss others: the
/// store the backtest and evaluate read their verdicts from (issue 19).
/// </summary>
public sealed class JudgedHistory : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("backtest");

    public string Dir => _dir.FullName;
    public string Events { get; private set; } = "";
    public string Store { get; private set; } = "";

    /// <summary>The verdicts given, alert id → confirmed (true) or dismissed (false).</summary>
    public Dictionary<string, bool> Verdicts { get; } = [];

    /// <summary>The rule of each alert in the store, by id.</summary>
    public Dictionary<string, string> Rules { get; } = [];

    public async Task InitializeAsync()
    {
        (Events, _, Store) = await SimulatedStore.ReplayAsync(_dir, days: 10, seed: 19, "volume_spike=2,off_hours=2,admin_query=1,login_failures=1,no_authorization=1");
        var store = await AlertStore.OpenAsync(Store, TimeProvider.System);
        var officer = new Actor("officer-wang", "officer");
        var alerts = (await store.AlertsAsync(new AlertFilter { Limit = 1000 })).Select(a => a.Alert).OrderBy(a => a.AlertId, StringComparer.Ordinal).ToList();
        foreach (var a in alerts) Rules[a.AlertId] = a.Rule;
        // Every night query is a violation; of the volume alerts every other one is, the rest are false alerts;
        // the administrator's read is confirmed after an acknowledgement; the other rules stay unjudged.
        foreach (var a in alerts.Where(a => a.Rule is RuleIds.OffHours or RuleIds.AdminQuery)) Verdicts[a.AlertId] = true;
        foreach (var (a, i) in alerts.Where(a => a.Rule == RuleIds.VolumeSpike).Select((a, i) => (a, i))) Verdicts[a.AlertId] = i % 2 == 0;
        foreach (var (id, violation) in Verdicts)
        {
            if (alerts.First(a => a.AlertId == id).Rule == RuleIds.AdminQuery) Assert.NotNull((await store.TransitionAsync(id, AlertStates.Acknowledged, officer, null)).Value);
            var change = violation
                ? await store.TransitionAsync(id, AlertStates.Confirmed, officer, "verified with the branch: no purpose on file")
                : await store.TransitionAsync(id, AlertStates.Dismissed, officer, "month-end batch approved by compliance");
            Assert.NotNull(change.Value);
        }
        Assert.Contains(Verdicts, v => v.Value);
        Assert.Contains(Verdicts, v => !v.Value);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>./monitor backtest</c> on simulated history with officers' verdicts in the store: its per-rule counts are those
/// of two separate replays (baseline settings, candidate settings) counted the same way, its gained and lost are
/// their set differences, precision and recall follow the verdicts, the suspensions that change are those the
/// replays' commands differ by, the store is only read, and the chart is a PNG.
/// </summary>
public sealed class BacktestTests(JudgedHistory history) : IClassFixture<JudgedHistory>
{
    // The candidate: a lower daily volume threshold (more VOLUME_SPIKE), more login failures before an alert, counter
    // queries exempt from the night rule (fewer LOGIN_FAILURES and OFF_HOURS), and suspension by score.
    private const string Candidate = """
        { "volume": { "userDaily": 30 }, "loginFailures": { "perAccount": 8 },
          "offHours": { "exemptChannels": ["batch", "self_service_kiosk", "counter"] }, "suspension": { "minScore": 75 } }
        """;

    private const string Baseline = """{ "volume": { "userDaily": 120 } }""";

    private string In(string name) => Path.Combine(history.Dir, name);

    [Fact]
    public async Task Backtest_counts_equal_two_separate_replays_and_scores_the_officers_verdicts()
    {
        var candidate = In("candidate.json");
        var baseline = In("baseline.json");
        await File.WriteAllTextAsync(candidate, Candidate);
        await File.WriteAllTextAsync(baseline, Baseline);
        var before = await StoreContents();

        var (code, stdout, stderr) = await Cli.Output("backtest", "--events", history.Events, "--baseline", baseline, "--candidate", candidate,
            "--store", history.Store, "--output", In("backtest.json"), "--chart", In("backtest.png"));
        Assert.True(code == 0, stderr);
        Assert.All(stdout.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Assert.Contains("VOLUME_SPIKE", stdout);

        // The same history, replayed once under each settings file.
        var (b, bCommands) = await Replay(baseline, "b");
        var (c, cCommands) = await Replay(candidate, "c");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(In("backtest.json")));
        var rules = doc.RootElement.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!);
        var expectedRules = b.Values.Concat(c.Values).Select(a => a.Rule).Concat(history.Verdicts.Keys.Select(id => history.Rules[id])).ToHashSet();
        Assert.Equal(expectedRules.Order(), rules.Keys.Order());
        foreach (var (rule, r) in rules)
        {
            var inB = b.Values.Where(a => a.Rule == rule).Select(a => a.AlertId).ToHashSet();
            var inC = c.Values.Where(a => a.Rule == rule).Select(a => a.AlertId).ToHashSet();
            Assert.True(inB.Count == r.GetProperty("baseline").GetInt32(), $"{rule} baseline");
            Assert.True(inC.Count == r.GetProperty("candidate").GetInt32(), $"{rule} candidate");
            Assert.Equal(inC.Except(inB).Order(), Ids(r, "gained").Order());
            Assert.Equal(inB.Except(inC).Order(), Ids(r, "lost").Order());
            foreach (var gained in r.GetProperty("gained").EnumerateArray())
                Assert.Equal(c[gained.GetProperty("alertId").GetString()!].Explanation, gained.GetProperty("explanation").GetString());

            // precision: confirmed / (confirmed + dismissed) among the alerts raised; recall: confirmed raised / confirmed known
            var confirmed = history.Verdicts.Where(v => v.Value && history.Rules[v.Key] == rule).Select(v => v.Key).ToHashSet();
            var dismissed = history.Verdicts.Where(v => !v.Value && history.Rules[v.Key] == rule).Select(v => v.Key).ToHashSet();
            foreach (var (side, raised) in new[] { ("baseline", inB), ("candidate", inC) })
            {
                var p = r.GetProperty("precision").GetProperty(side);
                var tp = raised.Count(confirmed.Contains);
                var fp = raised.Count(dismissed.Contains);
                Assert.True(tp == p.GetProperty("confirmed").GetInt32(), $"{rule} {side} confirmed");
                Assert.True(fp == p.GetProperty("dismissed").GetInt32(), $"{rule} {side} dismissed");
                Assert.True(raised.Count - tp - fp == p.GetProperty("unjudged").GetInt32(), $"{rule} {side} unjudged");
                AssertRatio(tp + fp == 0 ? null : (double)tp / (tp + fp), p.GetProperty("value"));
                var rc = r.GetProperty("recall").GetProperty(side);
                Assert.Equal(confirmed.Count, rc.GetProperty("known").GetInt32());
                Assert.Equal(tp, rc.GetProperty("confirmed").GetInt32());
                AssertRatio(confirmed.Count == 0 ? null : (double)tp / confirmed.Count, rc.GetProperty("value"));
            }
        }
        // The candidate changes something in each direction, and the verdicts weigh on both.
        Assert.True(rules["VOLUME_SPIKE"].GetProperty("gained").GetArrayLength() > 0);
        Assert.True(rules["OFF_HOURS"].GetProperty("lost").GetArrayLength() > 0);
        Assert.True(rules["OFF_HOURS"].GetProperty("recall").GetProperty("candidate").GetProperty("value").GetDouble()
            < rules["OFF_HOURS"].GetProperty("recall").GetProperty("baseline").GetProperty("value").GetDouble());
        Assert.Contains(rules["VOLUME_SPIKE"].GetProperty("gained").EnumerateArray(), g => g.GetProperty("verdict").ValueKind == JsonValueKind.Null);

        // Suspensions: the users each replay's commands suspend.
        var s = doc.RootElement.GetProperty("suspensions");
        var bUsers = bCommands.Where(x => x.Action == "suspend").Select(x => x.UserId).ToHashSet();
        var cUsers = cCommands.Where(x => x.Action == "suspend").Select(x => x.UserId).ToHashSet();
        Assert.Equal(bCommands.Count(x => x.Action == "suspend"), s.GetProperty("baseline").GetInt32());
        Assert.Equal(cCommands.Count(x => x.Action == "suspend"), s.GetProperty("candidate").GetInt32());
        Assert.Equal(cUsers.Except(bUsers).Order(), s.GetProperty("gained").EnumerateArray().Select(x => x.GetProperty("userId").GetString()!).Order());
        Assert.Equal(bUsers.Except(cUsers).Order(), s.GetProperty("lost").EnumerateArray().Select(x => x.GetProperty("userId").GetString()!).Order());
        Assert.NotEmpty(cUsers.Except(bUsers));

        // The store was only read.
        Assert.Equal(before, await StoreContents());

        // The chart: a PNG of some substance.
        var png = await File.ReadAllBytesAsync(In("backtest.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 20_000, $"{png.Length} bytes");
    }

    [Fact]
    public async Task Evaluate_with_the_store_scores_a_replay_per_rule_by_the_verdicts()
    {
        var (alerts, _) = await Replay(null, "e");
        var (code, stdout, stderr) = await Cli.Output("evaluate", "--alerts", In("e-alerts.jsonl"), "--store", history.Store, "--events", history.Events);
        Assert.True(code == 0, stderr);
        var volume = alerts.Values.Where(a => a.Rule == RuleIds.VolumeSpike).ToList();
        var tp = volume.Count(a => history.Verdicts.GetValueOrDefault(a.AlertId, false));
        var fp = volume.Count(a => history.Verdicts.TryGetValue(a.AlertId, out var v) && !v);
        var row = stdout.Split('\n').Single(l => l.StartsWith("VOLUME_SPIKE ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"{volume.Count}", $"{tp}", $"{fp}", $"{volume.Count - tp - fp}", $"{(double)tp / (tp + fp):0.00}", "1.00"], row[1..]);
        Assert.Contains($"officers' verdicts: {history.Verdicts.Count(v => v.Value)} confirmed, {history.Verdicts.Count(v => !v.Value)} dismissed", stdout);
        Assert.All(stdout.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
    }

    private async Task<(Dictionary<string, Alert> Alerts, List<PermissionCommand> Commands)> Replay(string? settings, string name)
    {
        string[] args = ["replay", "--input", history.Events, "--output", In($"{name}-alerts.jsonl"), "--commands", In($"{name}-commands.jsonl")];
        var (code, stderr) = await Cli.Run(settings is null ? args : [.. args, "--settings", settings]);
        Assert.True(code == 0, stderr);
        var alerts = (await File.ReadAllLinesAsync(In($"{name}-alerts.jsonl"))).Where(l => l.Length > 0).Select(OutputJson.ParseAlert)
            .GroupBy(a => a.AlertId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Revision)!);
        var commands = (await File.ReadAllLinesAsync(In($"{name}-commands.jsonl"))).Where(l => l.Length > 0).Select(OutputJson.ParseCommand).ToList();
        return (alerts, commands);
    }

    private static IEnumerable<string> Ids(JsonElement rule, string list) => rule.GetProperty(list).EnumerateArray().Select(a => a.GetProperty("alertId").GetString()!);

    private static void AssertRatio(double? expected, JsonElement actual)
    {
        if (expected is null) Assert.Equal(JsonValueKind.Null, actual.ValueKind);
        else Assert.Equal(expected.Value, actual.GetDouble(), 4);
    }

    /// <summary>What the store holds, to show the backtest changed nothing: alerts with their states, labels, commands, audit rows.</summary>
    private async Task<string> StoreContents()
    {
        var store = await AlertStore.OpenAsync(history.Store, TimeProvider.System);
        var alerts = await store.AlertsAsync(new AlertFilter { Limit = 1000 });
        var labels = await store.LabelsAsync(null);
        var commands = await store.CommandsAsync(null, 1000);
        var audit = await store.AuditAsync();
        return string.Join('\n', alerts.Select(a => $"{a.Alert.AlertId} {a.Alert.Revision} {a.State}").Concat(labels.Select(l => $"{l.AlertId} {l.Verdict}"))
            .Concat(commands.Select(c => c.Command.CommandId)).Append($"audit {audit.Count}"));
    }
}
