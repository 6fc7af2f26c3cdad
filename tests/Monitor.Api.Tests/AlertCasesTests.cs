using Monitor.Contracts;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// One cause, one case (the console's queue): a branch's spike and its users' alerts of that day are one case; other
/// alerts are their user's day; an alert's own case id wins when the detectors give one.
/// </summary>
public sealed class AlertCasesTests
{
    private static StoredAlert A(string id, string? user, string branch = "SB0101", string day = "2026-03-02", string rule = "VOLUME_SPIKE",
        string severity = "high", int score = 60, string entityType = "user", string? caseId = null, string state = AlertStates.Open) =>
        new(new Alert
        {
            AlertId = id, Revision = 1, Rule = rule, EntityType = entityType, EntityId = entityType == "branch" ? branch : entityType == "subject" ? "s-" + id : user!,
            UserId = user, BranchId = branch, Severity = severity, Score = score, Day = day, EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1,
            Explanation = id, Evidence = [], CaseId = caseId,
        }, state, null, null, null);

    private static readonly HashSet<(string, string)> None = [];

    [Fact]
    public void A_users_alerts_of_one_day_are_one_case_and_another_day_or_user_another()
    {
        var cases = AlertCases.Group([A("a1", "QO1"), A("a2", "QO1", rule: "OFF_HOURS"), A("a3", "QO1", day: "2026-03-03"), A("a4", "QO2")], None);
        Assert.Equal(["user:QO1:2026-03-02", "user:QO1:2026-03-03", "user:QO2:2026-03-02"], cases.Select(c => c.CaseId));
        Assert.Equal(["a1", "a2"], cases[0].Alerts.Select(a => a.Alert.AlertId).Order());
        Assert.All(cases, c => Assert.Equal(AlertCases.UserKind, c.Kind));
        Assert.Equal(("QO1", "SB0101", "2026-03-02"), (cases[0].UserId, cases[0].BranchId, cases[0].Day));
    }

    [Fact]
    public void A_branch_spike_and_every_alert_at_that_branch_that_day_are_one_case_while_other_branches_and_days_keep_theirs()
    {
        var days = new HashSet<(string, string)> { ("SB0101", "2026-03-02") };
        var cases = AlertCases.Group(
        [
            A("u1", "QO1"), A("u2", "QO2", rule: "BEHAVIOUR_OUTLIER"), A("b", null, entityType: "branch", severity: "medium"),
            A("s", "QO2", rule: "REPEATED_SUBJECT", entityType: "subject", severity: "medium"), A("other", "QO9", branch: "SB0102"), A("later", "QO1", day: "2026-03-03"),
        ], days);
        var spike = cases.Single(c => c.CaseId == "branch:SB0101:2026-03-02");
        Assert.Equal(["b", "s", "u1", "u2"], spike.Alerts.Select(a => a.Alert.AlertId).Order());
        Assert.Equal((AlertCases.BranchKind, (string?)null, "SB0101"), (spike.Kind, spike.UserId, spike.BranchId));
        Assert.Equal(["QO1", "QO2"], spike.Users);
        Assert.Equal(["user:QO1:2026-03-03", "user:QO9:2026-03-02"], cases.Where(c => c != spike).Select(c => c.CaseId).Order());
        // The branch's alert alone (its users' alerts filtered away) is still the branch-day's case.
        Assert.Equal("branch:SB0101:2026-03-02", AlertCases.KeyOf(A("b", null, entityType: "branch").Alert, None));
    }

    [Fact]
    public void The_detectors_case_id_wins_over_the_derived_one()
    {
        var cases = AlertCases.Group([A("a1", "QO1", caseId: "case-7"), A("a2", "QO2", branch: "SB0102", caseId: "case-7"), A("a3", "QO1")], None);
        Assert.Equal(["case-7", "user:QO1:2026-03-02"], cases.Select(c => c.CaseId));
        Assert.Equal(AlertCases.BranchKind, cases[0].Kind); // two users: shown as a branch's case, with both users
        Assert.Equal(["QO1", "QO2"], cases[0].Users);
        Assert.Equal(AlertCases.UserKind, AlertCases.Group([A("a1", "QO1", caseId: "case-8")], None).Single().Kind);
    }

    [Fact]
    public void A_case_is_as_severe_as_its_most_severe_alert_which_leads_it_and_counts_its_alerts_by_state()
    {
        var c = AlertCases.Group(
        [
            A("low", "QO1", severity: "low", score: 99), A("crit", "QO1", severity: "critical", score: 80, state: AlertStates.Acknowledged),
            A("high", "QO1", severity: "high", score: 70),
        ], None).Single();
        Assert.Equal(["crit", "high", "low"], c.Alerts.Select(a => a.Alert.AlertId));
        Assert.Equal(("critical", 80), (c.Severity, c.Score));
        Assert.Equal(new Dictionary<string, int> { ["open"] = 2, ["acknowledged"] = 1 }, c.States);
        Assert.Equal(["VOLUME_SPIKE"], c.Rules);
        Assert.Equal("crit", AlertCases.Containing("crit", c.Alerts, None)!.Alerts[0].Alert.AlertId);
        Assert.Null(AlertCases.Containing("nope", c.Alerts, None));
    }

    [Fact]
    public void The_queue_sorts_by_severity_newest_oldest_or_size_and_cuts_pages()
    {
        var cases = AlertCases.Group(
        [
            A("m", "QO1", severity: "medium"), A("c", "QO2", severity: "critical") with { Alert = A("c", "QO2", severity: "critical").Alert with { EventTime = Ev.Monday10.AddHours(-2), LastEventTime = Ev.Monday10.AddHours(-2) } },
            A("h1", "QO3", severity: "high") with { Alert = A("h1", "QO3").Alert with { LastEventTime = Ev.Monday10.AddHours(3) } }, A("h2", "QO3", severity: "low"),
        ], None);
        string[] Order(string sort) => [.. CaseQueue.Sort(cases, sort).Select(c => c.UserId!)];
        Assert.Equal(["QO2", "QO3", "QO1"], Order("severity"));
        Assert.Equal(["QO3", "QO1", "QO2"], Order("newest"));
        Assert.Equal(["QO2", "QO1", "QO3"], Order("oldest"));
        Assert.Equal(["QO3", "QO2", "QO1"], Order("size"));
        var (page, total) = CaseQueue.Page(cases, "severity", 2, 2);
        Assert.Equal(3, total);
        Assert.Equal(["QO1"], page.Select(c => c.UserId!));
        Assert.Empty(CaseQueue.Page(cases, "severity", 3, 2).Cases);
    }

    [Fact]
    public void An_age_filter_is_a_range_of_event_time_back_from_now()
    {
        var now = Ev.Monday10;
        Assert.Equal((now.AddDays(-1), (DateTimeOffset?)null), CaseQueue.AgeRange("within-1d", now));
        Assert.Equal(((DateTimeOffset?)null, now.AddDays(-7)), CaseQueue.AgeRange("over-7d", now));
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null), CaseQueue.AgeRange(null, now));
        Assert.All(CaseQueue.Ages, a => Assert.NotEqual(((DateTimeOffset?)null, (DateTimeOffset?)null), CaseQueue.AgeRange(a, now)));
    }

    [Fact]
    public void A_case_explains_itself_in_chinese_and_english_by_its_alerts_and_its_most_serious_one()
    {
        var alerts = new[]
        {
            A("u1", "QO1", caseId: "branch:SB0101:2026-03-02", score: 70), A("u2", "QO2", caseId: "branch:SB0101:2026-03-02"),
            A("b", null, entityType: "branch", severity: "critical", score: 90, caseId: "branch:SB0101:2026-03-02"),
            A("u3", "QO2", rule: "BEHAVIOUR_OUTLIER", severity: "medium", caseId: "branch:SB0101:2026-03-02"),
        };
        var spike = AlertCases.Group(alerts, None).Single().Explanations;
        Assert.Equal("branch SB0101 on 2026-03-02: 4 alerts (VOLUME_SPIKE ×3, BEHAVIOUR_OUTLIER; 2 users); most serious: VOLUME_SPIKE on branch SB0101 (critical, score 90): b", spike.En);
        Assert.Equal("机构 SB0101 于 2026-03-02：4 条告警（" + ChineseNames.Rule("VOLUME_SPIKE") + " ×3，" + ChineseNames.Rule("BEHAVIOUR_OUTLIER")
            + "；涉及 2 个用户）；最严重：" + ChineseNames.Rule("VOLUME_SPIKE") + "，机构 SB0101（严重，评分 90）：b", spike.Zh);
        var one = AlertCases.Group([A("a1", "QO1")], None).Single().Explanations;
        Assert.Equal("user QO1 on 2026-03-02: 1 alert (VOLUME_SPIKE); most serious: VOLUME_SPIKE on user QO1 (high, score 60): a1", one.En);
    }
}
