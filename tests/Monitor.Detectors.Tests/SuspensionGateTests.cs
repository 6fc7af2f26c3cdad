using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Suspension;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class SuspensionGateTests
{
    private static (PermissionCommand Command, Alert Alert) Incident(string user, string branch, DateTimeOffset at)
    {
        var alert = new Alert
        {
            AlertId = $"al-{user}", Revision = 1, Rule = RuleIds.AdminQuery, EntityType = "user", EntityId = user, UserId = user,
            BranchId = branch, Severity = "critical", Score = 95, Day = "2026-03-02", EventTime = at, LastEventTime = at, Count = 1,
            Explanation = $"administrator {user} read a report", Evidence = ["e1"], SuspensionRequested = true,
        };
        var command = new PermissionCommand
        {
            CommandId = $"cmd-{user}", Action = "suspend", UserId = user, BranchId = branch, Reason = "ADMIN_QUERY",
            AlertIds = [alert.AlertId], IssuedAt = at,
        };
        return (command, alert);
    }

    private static (List<PermissionCommand> Sent, List<Alert> Alerts) Pass(SuspensionGate gate, params (PermissionCommand Command, Alert Alert)[] incidents)
    {
        var alerts = incidents.Select(i => i.Alert).ToList();
        return (gate.Pass(incidents.Select(i => i.Command).ToList(), alerts), alerts);
    }

    [Fact]
    public void A_fourth_automatic_suspension_in_a_branch_within_the_hour_is_withheld_and_the_branch_stays_shut()
    {
        var gate = new SuspensionGate(() => new SuspensionSettings { ValvePerBranchPerHour = 3 });
        var at = Ev.Monday10;
        var (sent, alerts) = Pass(gate,
            Incident("U1", "SB01", at), Incident("U2", "SB01", at.AddMinutes(5)), Incident("U3", "SB01", at.AddMinutes(10)),
            Incident("U4", "SB01", at.AddMinutes(20)), Incident("U5", "SB02", at.AddMinutes(21)));
        Assert.Equal(["U1", "U2", "U3", "U5"], sent.Select(c => c.UserId));
        var held = Assert.Single(alerts, a => a.UserId == "U4");
        Assert.Equal("critical", held.Severity);
        Assert.False(held.SuspensionRequested);
        Assert.Contains("automatic suspension is stopped there until an officer reopens it", held.Explanation);

        // Two hours later the branch is still shut: the valve does not reopen by itself.
        var (later, _) = Pass(gate, Incident("U6", "SB01", at.AddHours(2)));
        Assert.Empty(later);
        Assert.Equal(["SB01"], gate.ShutBranches);
        Assert.True(gate.Reopen("SB01"));
        Assert.Single(Pass(gate, Incident("U7", "SB01", at.AddHours(3))).Sent);
    }

    [Fact]
    public void Suspensions_spread_over_more_than_an_hour_do_not_trip_the_valve()
    {
        var gate = new SuspensionGate(() => new SuspensionSettings { ValvePerBranchPerHour = 2 });
        var (sent, _) = Pass(gate, Incident("U1", "SB01", Ev.Monday10), Incident("U2", "SB01", Ev.Monday10.AddMinutes(61)), Incident("U3", "SB01", Ev.Monday10.AddMinutes(122)));
        Assert.Equal(3, sent.Count);
    }

    [Fact]
    public void A_protected_account_is_never_suspended_automatically_and_its_alert_becomes_critical_for_people()
    {
        var gate = new SuspensionGate(() => new SuspensionSettings { Protected = ["UA0001"] });
        var (sent, alerts) = Pass(gate, Incident("UA0001", "SB01", Ev.Monday10));
        Assert.Empty(sent);
        Assert.Contains("UA0001 is a protected account", Assert.Single(alerts).Explanation);
        Assert.Equal("critical", alerts[0].Severity);
    }

    [Fact]
    public void Shadow_mode_sends_nothing_and_the_alert_records_the_command_it_would_have_sent()
    {
        var gate = new SuspensionGate(() => new SuspensionSettings { Shadow = true });
        var (sent, alerts) = Pass(gate, Incident("U1", "SB01", Ev.Monday10));
        Assert.Empty(sent);
        Assert.Contains("Shadow mode: would have suspended U1 (command cmd-U1)", alerts[0].Explanation);
        Assert.Empty(gate.ShutBranches);
    }

    [Fact]
    public void Reinstatements_always_pass()
    {
        var gate = new SuspensionGate(() => new SuspensionSettings { Shadow = true, Protected = ["U1"] });
        var (c, a) = Incident("U1", "SB01", Ev.Monday10);
        var (sent, _) = Pass(gate, (c with { Action = "reinstate", CommandId = "cmd-r" }, a));
        Assert.Single(sent);
    }
}
