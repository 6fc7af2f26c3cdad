using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>Issue 18, parts 2 and 4: findings as early as the facts allow, and one cause, one case.</summary>
public sealed class EarlyFindingTests
{
    private static readonly DateTimeOffset Monday = Ev.Monday10;

    [Fact]
    public void A_read_whose_register_entry_can_no_longer_come_is_raised_at_the_user_s_next_event_not_at_midnight()
    {
        var registered = Ev.Query("Q1", Monday);
        var bare = Ev.Query("Q1", Monday.AddMinutes(10)) with { SubjectId = "s-nobody-approved" };
        var before = Ev.Query("Q1", Monday.AddMinutes(10 + 60 + 110));
        var after = Ev.Query("Q1", Monday.AddMinutes(10 + 60 + 125));
        var h = new Harness().Feed(Ev.Register(registered), registered, bare, Ev.Register(before), before);
        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch)); // an entry up to 60 min after the read may still arrive, up to the allowed lateness late

        h.Feed(Ev.Register(after), after);
        var alert = Assert.Single(h.Alerts(RuleIds.RegisterMismatch));
        Assert.Equal(after.OccurredAt, alert.DetectedAt);
        Assert.Equal(bare.OccurredAt, alert.EventTime);
        Assert.Contains("1 read without an entry 60 min after it (10:10:00 loan_approval subject s-nobody-approved)", alert.Explanation);

        h.Feed(Ev.DayAfter(Monday)); // the day's close adds nothing for a read already raised
        Assert.Single(h.Alerts(RuleIds.RegisterMismatch));
    }

    [Fact]
    public void Every_alert_says_when_the_monitor_first_raised_it_and_a_count_rule_at_the_read_that_crossed_its_threshold()
    {
        var subject = "s-again";
        var reads = Enumerable.Range(0, 5).Select(i => Ev.Query("Q7", Monday.AddMinutes(30 * i)) with { SubjectId = subject }).ToArray();
        var h = new Harness().Feed(reads);
        var alerts = h.Alerts(RuleIds.RepeatedSubject);
        Assert.Equal(reads[3].OccurredAt, alerts[0].DetectedAt); // the fourth read is the threshold (perUserCount 4)
        Assert.All(alerts, a => Assert.Equal(reads[3].OccurredAt, a.DetectedAt)); // the same on every revision
        Assert.All(h.Output.Alerts, a => Assert.Equal("user:Q7:2026-03-02", a.CaseId));
    }

    [Fact]
    public void A_role_conflict_is_a_standing_condition_raised_again_only_when_it_changes_or_a_week_on()
    {
        var admin = Ev.Query("UA9", Monday, role: UserRole.UserAdmin) with { Type = EventType.Login, EmployeeId = "E9" };
        var events = new List<QueryLogEvent> { admin };
        for (var d = 0; d < 12; d++) events.Add(Ev.Query("Q9", Monday.AddDays(d).AddHours(1)) with { EmployeeId = "E9" });
        events.Add(Ev.Query("Q8", Monday.AddDays(3).AddHours(2)) with { EmployeeId = "E9" }); // a second query account: the condition changed
        var h = new Harness().Feed(events.OrderBy(e => e.OccurredAt));

        var days = h.LatestOf(RuleIds.RoleConflict).Select(a => a.Day).Order().ToList();
        Assert.Equal(["2026-03-02", "2026-03-05", "2026-03-12"], days); // first, changed, a week after the change
        Assert.All(h.LatestOf(RuleIds.RoleConflict), a => Assert.StartsWith("user:", a.CaseId));
    }

    [Fact]
    public void The_case_of_an_alert_is_decided_in_one_place()
    {
        var settings = new Settings.CaseSettings();
        Finding On(EntityKind kind, string rule, double surge, string entity = "Q1") =>
            new(rule, kind, entity, kind == EntityKind.Branch ? null : "Q1", "SB0203", Severity.High, Monday, "e1", Texts.Phrase.Literal("x")) { BranchSurge = surge };
        Assert.Equal("branch:SB0203:2026-03-02", CaseLinker.CaseOf(On(EntityKind.Branch, RuleIds.VolumeSpike, 1, "SB0203"), "2026-03-02", 1, settings));
        Assert.Equal("branch:SB0203:2026-03-02", CaseLinker.CaseOf(On(EntityKind.User, RuleIds.VolumeSpike, 3), "2026-03-02", 3, settings));
        Assert.Equal("user:Q1:2026-03-02", CaseLinker.CaseOf(On(EntityKind.User, RuleIds.VolumeSpike, 1.5), "2026-03-02", 1.5, settings));
        Assert.Equal("user:Q1:2026-03-02", CaseLinker.CaseOf(On(EntityKind.User, RuleIds.OffHours, 3), "2026-03-02", 3, settings)); // a surge explains no off-hours read
        Assert.Equal("user:Q1:2026-03-02", CaseLinker.CaseOf(On(EntityKind.Employee, RuleIds.RoleConflict, 1, "E1"), "2026-03-02", 1, settings));
    }
}
