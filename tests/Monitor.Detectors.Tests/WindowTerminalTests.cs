using Monitor.Contracts;
using Monitor.Detectors.Rules;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>WINDOW_TERMINAL: a window-query account reads only on its dedicated query machines (查询专机).</summary>
public sealed class WindowTerminalTests
{
    private static QueryLogEvent Window(string terminal, int minute = 0, string user = "WQ1", UserRole role = UserRole.WindowQuery) =>
        Ev.Query(user, Ev.At(2026, 3, 2, 10, minute), purpose: Purpose.SelfQuery, role: role) with { TerminalId = terminal };

    [Fact]
    public void Without_a_list_the_first_machine_is_the_accounts_own_and_a_read_on_another_is_flagged()
    {
        var h = new Harness().Feed(Window("T-A"), Window("T-A", 5), Window("T-B", 10));

        var alert = Assert.Single(h.Alerts(RuleIds.WindowTerminal));
        Assert.Equal(("WQ1", "high"), (alert.EntityId, alert.Severity));
        Assert.Contains("terminal T-B", alert.Explanation);
        Assert.Contains("T-A", alert.Explanation);
    }

    [Fact]
    public void A_branch_list_of_dedicated_machines_is_what_counts()
    {
        var h = Harness.FromJson("""{ "branches": { "SB0101": { "windowTerminal": { "terminals": ["T-1", "T-2"] } } } }""");
        h.Feed(Window("T-1"), Window("T-2", 1), Window("T-9", 2));

        Assert.Contains("T-1, T-2", Assert.Single(h.Alerts(RuleIds.WindowTerminal)).Explanation);
    }

    [Fact]
    public void Operators_refused_reads_and_reads_without_a_terminal_are_not_judged()
    {
        var h = new Harness().Feed(
            Window("T-A"), Window("T-B", 1, role: UserRole.QueryOperator, user: "WQ1"),
            Window("T-C", 2) with { Outcome = Outcome.Denied }, Window("T-A", 3) with { TerminalId = null });

        Assert.Empty(h.Alerts(RuleIds.WindowTerminal));
    }

    [Fact]
    public void A_restart_remembers_the_machine_it_learned()
    {
        var before = new WindowTerminals();
        var context = DetectorContext.Default();
        Assert.Null(before.Observe(EventContext.Of(Window("T-A"), context.Policies, context.Calendar)));

        var after = Restart.Into(before, new WindowTerminals());

        Assert.NotNull(after.Observe(EventContext.Of(Window("T-B", 5), context.Policies, context.Calendar)));
        Assert.Null(after.Observe(EventContext.Of(Window("T-A", 6), context.Policies, context.Calendar)));
    }
}
