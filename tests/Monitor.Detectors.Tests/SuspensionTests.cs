using Monitor.Contracts;
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
