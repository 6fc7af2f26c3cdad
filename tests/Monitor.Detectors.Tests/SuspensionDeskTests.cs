using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Suspension;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class SuspensionDeskTests
{
    private static Alert Admin(string user, string branch, DateTimeOffset at, string? id = null) => new()
    {
        AlertId = id ?? $"al-{user}-{at.Ticks}", Revision = 1, Rule = RuleIds.AdminQuery, EntityType = "user", EntityId = user, UserId = user,
        BranchId = branch, Severity = "critical", Score = 95, Day = "2026-03-02", EventTime = at, LastEventTime = at, Count = 1,
        Explanation = $"administrator {user} read a report", Evidence = ["e1"], SuspensionRequested = true,
    };

    private static SuspensionDecisions Decide(SuspensionDesk desk, params Alert[] alerts) => desk.Decide([], alerts);

    [Fact]
    public void A_fourth_automatic_suspension_in_a_branch_within_the_hour_is_withheld_and_the_branch_stays_shut()
    {
        var desk = new SuspensionDesk(() => new SuspensionSettings { ValvePerBranchPerHour = 3 });
        var at = Ev.Monday10;
        var d = Decide(desk, Admin("U1", "SB01", at), Admin("U2", "SB01", at.AddMinutes(5)), Admin("U3", "SB01", at.AddMinutes(10)),
            Admin("U4", "SB01", at.AddMinutes(20)), Admin("U5", "SB02", at.AddMinutes(21)));
        Assert.Equal(["U1", "U2", "U3", "U5"], d.Commands.Select(c => c.UserId));
        var held = Assert.Single(d.Changed);
        Assert.Equal("U4", held.UserId);
        Assert.Equal("critical", held.Severity);
        Assert.False(held.SuspensionRequested);
        Assert.Contains("automatic suspension is stopped there until an officer reopens it", held.Explanation);
        Assert.Equal(["SB01"], d.NewlyShut);
        Assert.Empty(Decide(desk, Admin("U6", "SB01", at.AddHours(2))).Commands);
        Assert.True(desk.Reopen("SB01"));
        Assert.Single(Decide(desk, Admin("U7", "SB01", at.AddHours(3))).Commands);
    }

    [Fact]
    public void A_user_withheld_by_the_valve_is_suspended_at_the_next_alert_after_the_officer_reopens_the_branch()
    {
        var desk = new SuspensionDesk(() => new SuspensionSettings { ValvePerBranchPerHour = 1 });
        var at = Ev.Monday10;
        var first = Decide(desk, Admin("U1", "SB01", at), Admin("U2", "SB01", at.AddMinutes(5)));
        Assert.Equal(["U1"], first.Commands.Select(c => c.UserId));
        Assert.Null(desk.ActiveSuspension("U2"));
        desk.Reopen("SB01");
        var again = Decide(desk, Admin("U2", "SB01", at.AddMinutes(30)));
        Assert.Equal("U2", Assert.Single(again.Commands).UserId);
        Assert.NotNull(desk.ActiveSuspension("U2"));
    }

    [Fact]
    public void A_user_seen_in_shadow_mode_is_suspended_by_the_same_alert_once_shadow_mode_is_switched_off()
    {
        var settings = new SuspensionSettings { Shadow = true };
        var desk = new SuspensionDesk(() => settings);
        var alert = Admin("U1", "SB01", Ev.Monday10, "al-1");
        var shadow = Decide(desk, alert);
        Assert.Empty(shadow.Commands);
        Assert.Contains("Shadow mode: would have suspended U1", Assert.Single(shadow.Changed).Explanation);
        settings = settings with { Shadow = false }; // settings reload
        var live = Decide(desk, alert with { Revision = 2, LastEventTime = Ev.Monday10.AddMinutes(3) });
        Assert.Equal("U1", Assert.Single(live.Commands).UserId);
        Assert.Empty(live.Changed);
    }

    [Fact]
    public void A_protected_account_is_suspended_at_its_next_alert_once_it_leaves_the_protected_list()
    {
        var settings = new SuspensionSettings { Protected = ["UA0001"] };
        var desk = new SuspensionDesk(() => settings);
        var held = Decide(desk, Admin("UA0001", "SB01", Ev.Monday10));
        Assert.Empty(held.Commands);
        Assert.Contains("UA0001 is a protected account", Assert.Single(held.Changed).Explanation);
        Assert.Equal("critical", held.Changed[0].Severity);
        settings = settings with { Protected = [] };
        Assert.Single(Decide(desk, Admin("UA0001", "SB01", Ev.Monday10.AddHours(1))).Commands);
    }

    [Fact]
    public void A_suspended_user_is_not_suspended_again_until_an_account_event_restores_the_permission()
    {
        var desk = new SuspensionDesk(() => new SuspensionSettings());
        var at = Ev.Monday10;
        Assert.Single(Decide(desk, Admin("U1", "SB01", at)).Commands);
        Assert.Empty(Decide(desk, Admin("U1", "SB01", at.AddMinutes(5))).Commands);
        var restored = desk.Decide([Ev.Account("U1", AccountAction.Reinstated, at.AddMinutes(10))], [Admin("U1", "SB01", at.AddMinutes(20))]);
        Assert.Single(restored.Commands);
    }

    [Fact]
    public void Suspensions_spread_over_more_than_an_hour_do_not_trip_the_valve()
    {
        var desk = new SuspensionDesk(() => new SuspensionSettings { ValvePerBranchPerHour = 2 });
        var d = Decide(desk, Admin("U1", "SB01", Ev.Monday10), Admin("U2", "SB01", Ev.Monday10.AddMinutes(61)), Admin("U3", "SB01", Ev.Monday10.AddMinutes(122)));
        Assert.Equal(3, d.Commands.Count);
    }

    [Fact]
    public void The_whole_memory_survives_a_save_and_restore()
    {
        var settings = new SuspensionSettings { ValvePerBranchPerHour = 1, Repeated = new RepeatedAlerts { Alerts = 3, WithinDays = 7, MinSeverity = "high" } };
        var desk = new SuspensionDesk(() => settings);
        Decide(desk, Admin("U1", "SB01", Ev.Monday10), Admin("U2", "SB01", Ev.Monday10.AddMinutes(1)),
            Admin("U3", "SB02", Ev.Monday10) with { Rule = RuleIds.OffHours, Severity = "high", Score = 60 });
        var fresh = new SuspensionDesk(() => settings);
        Assert.Empty(StateComparer.RoundTrip(desk, fresh, typeof(Func<SuspensionSettings>)));
        Assert.Equal(["SB01"], fresh.ShutBranches);
        Assert.NotNull(fresh.ActiveSuspension("U1"));
    }
}
