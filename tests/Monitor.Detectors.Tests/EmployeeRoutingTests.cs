using Monitor.Contracts;
using Monitor.Detectors.Pipeline;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class EmployeeRoutingTests
{
    [Fact]
    public void One_account_employee_is_forwarded_once_a_day_and_every_event_once_a_second_account_appears()
    {
        var routing = new EmployeeRouting();
        var q = Ev.Query("Q1") with { EmployeeId = "E1" };
        Assert.True(routing.Needs(q));
        Assert.False(routing.Needs(q with { OccurredAt = q.OccurredAt.AddHours(1) }));
        Assert.True(routing.Needs(q with { OccurredAt = q.OccurredAt.AddDays(1) }));
        Assert.True(routing.Needs(Ev.Account("Q1", AccountAction.Disabled, q.OccurredAt.AddDays(1).AddHours(1)) with { EmployeeId = "E1" }));
        Assert.True(routing.Needs(Ev.Query("Q2", q.OccurredAt.AddDays(1).AddHours(2)) with { EmployeeId = "E1" }));
        Assert.True(routing.Needs(q with { OccurredAt = q.OccurredAt.AddDays(1).AddHours(3) }));
        Assert.False(routing.Needs(Ev.Query("Q3") with { EmployeeId = null }));
    }

    [Fact]
    public void A_restored_routing_remembers_each_accounts_last_day_and_the_second_account()
    {
        var original = new EmployeeRouting();
        var q = Ev.Query("Q1") with { EmployeeId = "E1" };
        original.Needs(q);
        original.Needs(Ev.Query("Q5") with { EmployeeId = "E5" });
        var fresh = new EmployeeRouting();
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        Assert.False(fresh.Needs(q with { OccurredAt = q.OccurredAt.AddHours(1) }));
        Assert.True(fresh.Needs(Ev.Query("Q2") with { EmployeeId = "E1" }));
        Assert.True(fresh.Needs(q with { OccurredAt = q.OccurredAt.AddHours(2) }));
    }
}
