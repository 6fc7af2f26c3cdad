using System.Net;
using System.Text;
using System.Text.Json;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The register and HR feeds and the rules on them (issue 16) as a bank runs them: a simulated month with the feeds
/// through <c>./monitor simulate --feeds</c>, <c>replay</c> and <c>evaluate</c>; HR and query messages on the topic of
/// a running monitor; and a store without the register, whose sheet says so.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class FeedRulesTests(MockKafkaFixture kafka) : IDisposable
{
    private const string Officer = "mk_test_officer_feed_rules";
    private static readonly string[] FeedRules = [RuleIds.RegisterMismatch, RuleIds.LeaverAccount, RuleIds.AdminGovernance];
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("feeds");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_simulated_month_with_the_feeds_finds_every_incident_of_the_new_rules_and_alerts_no_untouched_user_with_them()
    {
        string F(string name) => Path.Combine(_dir.FullName, name);
        var (code, err) = await Cli.Run("simulate", "--output", F("events.jsonl"), "--labels", F("labels.jsonl"), "--days", "30", "--seed", "42", "--feeds");
        Assert.True(code == 0, err);
        (code, err) = await Cli.Run("replay", "--input", F("events.jsonl"), "--output", F("alerts.jsonl"), "--commands", F("commands.jsonl"), "--store", F("monitor.db"));
        Assert.True(code == 0, err);
        var (evaluated, stdout, stderr) = await Cli.Output("evaluate", "--alerts", F("alerts.jsonl"), "--labels", F("labels.jsonl"), "--commands", F("commands.jsonl"), "--events", F("events.jsonl"));
        Assert.True(evaluated == 0, stderr);

        var report = stdout + stderr;
        foreach (var kind in new[] { "register_mismatch", "leaver_account", "leaver_reading", "admin_same_level", "admin_burst", "admin_password_resets" })
            Assert.Matches($@"(?m)^{kind}\s+\S+\s+detected", report);
        Assert.Matches(@"(?m)^leaver_reading\s+.*suspended\s*$", report);

        var touched = File.ReadLines(F("labels.jsonl")).SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("touchedUsers").EnumerateArray().Select(u => u.GetString()!)).ToHashSet();
        var alerts = File.ReadLines(F("alerts.jsonl")).Select(OutputJson.ParseAlert).ToList();
        Assert.Contains(alerts, a => a.Rule == RuleIds.RegisterMismatch);
        Assert.DoesNotContain(alerts, a => FeedRules.Contains(a.Rule) && a.UserId is { } u && !touched.Contains(u));
    }

    [Fact]
    public async Task A_leaver_reading_again_is_suspended_from_messages_on_the_topic_and_ready_tells_which_feeds_arrive()
    {
        var options = kafka.Options("feeds-live");
        var before = Ev.Query("Q1", Ev.At(2026, 3, 2, 10)) with { EmployeeId = "E1" };
        var left = Ev.Staff("E1", StaffAction.Left, Ev.At(2026, 3, 2, 12));
        var after = Ev.Query("Q1", Ev.At(2026, 3, 2, 14)) with { EmployeeId = "E1" };
        kafka.Produce(options.InputTopic, new[] { before, left, after }.Select(MockKafkaFixture.Message));

        await using var run = LiveMonitor.Start(kafka.BootstrapServers, _dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
            "--store", Path.Combine(_dir.FullName, "monitor.db"));

        var command = OutputJson.ParseCommand(Encoding.UTF8.GetString(Assert.Single(kafka.ReadAll(options.CommandsTopic, 1, TimeSpan.FromSeconds(60))).Message.Value));
        Assert.Equal(("suspend", "Q1"), (command.Action, command.UserId));
        var alert = kafka.ReadAll(options.AlertsTopic, 1, TimeSpan.FromSeconds(10)).Select(m => OutputJson.ParseAlert(Encoding.UTF8.GetString(m.Message.Value))).First();
        Assert.Equal((RuleIds.LeaverAccount, "critical"), (alert.Rule, alert.Severity));

        var (status, body) = await run.WaitReadyAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var feeds = JsonDocument.Parse(body).RootElement.GetProperty("feeds");
        Assert.Equal("present", feeds.GetProperty("employee").GetProperty("state").GetString());
        Assert.Equal("missing", feeds.GetProperty("register").GetProperty("state").GetString());
        Assert.Contains("REGISTER_MISMATCH stays silent", feeds.GetProperty("register").GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Without_the_register_feed_the_daily_sheet_says_the_register_is_missing_and_no_read_is_called_unregistered()
    {
        var (_, alertsFile, store) = await SimulatedStore.ReplayAsync(_dir, days: 3, seed: 5, "no_authorization=1");
        Assert.DoesNotContain(File.ReadLines(alertsFile).Select(OutputJson.ParseAlert), a => a.Rule == RuleIds.RegisterMismatch);
        var settings = Path.Combine(_dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"api": {"keys": [{"name": "officer-li", "role": "officer", "sha256": "{{{ApiKeys.Hash(Officer)}}}"}]}}""");
        await using var run = LiveMonitor.Start(null, _dir, "--store", store, "--settings", settings);
        Assert.True(await run.WaitStderrAsync("consuming ", TimeSpan.FromSeconds(60)), run.Transcript);

        var (status, text) = await run.GetAsync("api/sheets/SB0101/2026-03-02", Officer);
        Assert.True(status == HttpStatusCode.OK, text);
        var sheet = JsonDocument.Parse(text).RootElement;
        Assert.Equal("missing", sheet.GetProperty("registerFeed").GetString());
        Assert.All(sheet.GetProperty("users").EnumerateArray(), u => Assert.Equal(JsonValueKind.Null, u.GetProperty("registerEntries").ValueKind));
    }
}
