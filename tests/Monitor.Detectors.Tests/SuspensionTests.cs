using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class SuspensionTests
{
    [Fact]
    public void Admin_query_yields_one_suspend_command_however_often_the_alert_is_republished()
    {
        var h = new Harness().Feed(Enumerable.Range(0, 9).Select(i => Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.Monday10.AddMinutes(i))).ToArray());
        Assert.True(h.Alerts(RuleIds.AdminQuery).Count > 1);
        var command = Assert.Single(h.Output.Commands);
        Assert.Equal("suspend", command.Action);
        Assert.Equal("UA0101", command.UserId);
        Assert.Equal("SB0101", command.BranchId);
        Assert.StartsWith("ADMIN_QUERY", command.Reason);
        Assert.Equal([h.Alerts(RuleIds.AdminQuery)[0].AlertId], command.AlertIds);
    }

    [Fact]
    public void Suspended_user_is_not_suspended_again_on_the_next_day()
    {
        var h = new Harness().Feed(Ev.Query(user: "UA0101", role: UserRole.UserAdmin), Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.Monday10.AddDays(1)));
        Assert.Equal(2, h.Alerts(RuleIds.AdminQuery).Select(a => a.AlertId).Distinct().Count());
        Assert.Single(h.Output.Commands);
    }

    [Fact]
    public void After_reinstatement_a_new_incident_suspends_again()
    {
        var h = new Harness().Feed(
            Ev.Query(user: "UA0101", role: UserRole.UserAdmin),
            Ev.Account("UA0101", AccountAction.Reinstated, Ev.Monday10.AddHours(2)),
            Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.Monday10.AddDays(1)));
        Assert.Equal(2, h.Output.Commands.Select(c => c.CommandId).Distinct().Count());
    }

    [Fact]
    public void Command_id_is_deterministic_across_runs()
    {
        var q = Ev.Query(user: "UA0101", role: UserRole.UserAdmin, id: "fixed-1");
        Assert.Equal(new Harness().Feed(q).Output.Commands[0].CommandId, new Harness().Feed(q).Output.Commands[0].CommandId);
    }

    [Fact]
    public void Rules_outside_the_policy_do_not_suspend() =>
        Assert.Empty(new Harness().Feed(Ev.Query() with { AuthorizationId = null }, Ev.Query(at: Ev.At(2026, 3, 7, 23))).Output.Commands);
}

public sealed class SuspensionPolicyTests
{
    private static QueryLogEvent Unauthorized(DateTimeOffset at, string user = "Q440100") => Ev.Query(user: user, at: at) with { AuthorizationId = null, AuthorizedAt = null };

    [Fact]
    public void Score_threshold_suspends_an_alert_that_reaches_it_and_not_one_below()
    {
        var score = new Harness().Feed(Unauthorized(Ev.Monday10)).Alerts(RuleIds.NoAuthorization)[0].Score;
        var at = Harness.FromJson($$"""{ "suspension": { "minScore": {{score}} } }""").Feed(Unauthorized(Ev.Monday10));
        var above = Harness.FromJson($$"""{ "suspension": { "minScore": {{score + 1}} } }""").Feed(Unauthorized(Ev.Monday10));
        var command = Assert.Single(at.Output.Commands);
        Assert.Contains("suspension.minScore", command.Reason);
        Assert.Empty(above.Output.Commands);
    }

    [Fact]
    public void Behaviour_outlier_alone_never_suspends_by_score_unless_named_in_the_rules()
    {
        var alert = new Alert
        {
            AlertId = "al-1", Revision = 1, Rule = RuleIds.BehaviourOutlier, EntityType = "user", EntityId = "U1", UserId = "U1", BranchId = "SB0101",
            Severity = "critical", Score = 99, Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1, Explanation = "far from peers", Evidence = [],
        };
        Assert.Null(Monitor.Detectors.Suspension.SuspensionPolicy.Asks(new SuspensionSettings { MinScore = 50 }, alert));
        Assert.NotNull(Monitor.Detectors.Suspension.SuspensionPolicy.Asks(new SuspensionSettings { Rules = [RuleIds.BehaviourOutlier] }, alert));
    }

    [Fact]
    public void Third_alert_within_the_period_suspends_once_naming_all_three()
    {
        var h = Harness.FromJson("""{ "suspension": { "repeated": { "alerts": 3, "withinDays": 7, "minSeverity": "low" } } }""")
            .Feed(Unauthorized(Ev.Monday10), Unauthorized(Ev.Monday10.AddDays(1)), Unauthorized(Ev.Monday10.AddDays(1).AddHours(1)), Unauthorized(Ev.Monday10.AddDays(2)), Unauthorized(Ev.Monday10.AddDays(3)));
        var command = Assert.Single(h.Output.Commands);
        Assert.Equal(3, command.AlertIds.Count);
        Assert.Equal(h.LatestOf(RuleIds.NoAuthorization).OrderBy(a => a.EventTime).Take(3).Select(a => a.AlertId), command.AlertIds);
        Assert.Contains("suspension.repeated", command.Reason);
        Assert.Equal(Ev.Monday10.AddDays(2), command.IssuedAt);
    }

    [Fact]
    public void Alerts_spread_wider_than_the_period_do_not_suspend()
    {
        var h = Harness.FromJson("""{ "suspension": { "repeated": { "alerts": 3, "withinDays": 7, "minSeverity": "low" } } }""")
            .Feed(Unauthorized(Ev.Monday10), Unauthorized(Ev.Monday10.AddDays(8)), Unauthorized(Ev.Monday10.AddDays(16)), Unauthorized(Ev.Monday10.AddDays(24)));
        Assert.Equal(4, h.LatestOf(RuleIds.NoAuthorization).Count);
        Assert.True(h.Output.Commands.Count == 0, string.Join("\n", h.Output.Commands.Select(c => c.Reason)));
    }

    [Fact]
    public void Suspension_tells_the_users_branch_what_to_verify()
    {
        var command = Assert.Single(new Harness().Feed(Ev.Query(user: "UA0101", role: UserRole.UserAdmin)).Output.Commands);
        var notice = command.Notification!;
        Assert.Equal("SB0101", notice.BranchId);
        Assert.Contains("UA0101", notice.Subject);
        Assert.Contains(notice.Verify, v => v.Contains("administrator account UA0101", StringComparison.Ordinal));
        Assert.Contains(notice.Verify, v => v.Contains("reinstates", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "suspension": { "minScore": 0 } }""", "suspension.minScore")]
    [InlineData("""{ "suspension": { "repeated": { "alerts": 1 } } }""", "suspension.repeated.alerts")]
    [InlineData("""{ "suspension": { "repeated": { "minSeverity": "severe" } } }""", "suspension.repeated.minSeverity")]
    [InlineData("""{ "suspension": { "neverAlone": ["NOPE"] } }""", "suspension.neverAlone")]
    public void Bad_policy_settings_are_refused_naming_the_key(string json, string key) =>
        Assert.Contains(key, Assert.Throws<SettingsException>(() => SettingsLoader.Parse(json)).Message);
}

public sealed class ShippedSettingsTests
{
    [Fact]
    public void The_shipped_settings_file_loads_and_names_no_key()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Monitor.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var settings = SettingsLoader.Load(Path.Combine(root, "config", "settings.json"));
        Assert.Empty(settings.Api.Keys);
        Assert.Equal([RuleIds.AdminQuery, RuleIds.DormantAccount, RuleIds.LeaverAccount], settings.Suspension.Rules);
    }
}
