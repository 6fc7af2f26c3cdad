using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>LEAVER_ACCOUNT: when HR says a person left or moved, their accounts are disabled in time and not used again.</summary>
public sealed class LeaverAccountTests
{
    // Thursday 2026-03-05 17:30: three working days later is Tuesday 2026-03-10 (the weekend does not count).
    private static readonly DateTimeOffset Thursday = Ev.At(2026, 3, 5, 17, 30);

    private static QueryLogEvent Work(DateTimeOffset at, string user = "Q1", string branch = "SB0101") => Ev.Query(user, at, branch: branch) with { EmployeeId = "E1" };

    private static QueryLogEvent Disabled(DateTimeOffset at, string user = "Q1") => Ev.Account(user, AccountAction.Disabled, at) with { EmployeeId = "E1" };

    /// <summary>Closes each local day from <paramref name="from"/>'s through <paramref name="to"/>'s, one after another.</summary>
    private static Harness DaysUntil(Harness h, DateTimeOffset from, DateTimeOffset to)
    {
        for (var d = from.Date; d <= to.Date; d = d.AddDays(1)) h.Feed(Ev.DayAfter(new DateTimeOffset(d.AddHours(12), Ev.China)));
        return h;
    }

    [Fact]
    public void An_account_still_enabled_three_working_days_after_its_holder_left_is_found_at_that_days_close()
    {
        var h = new Harness().Feed(Work(Thursday.AddHours(-6)), Ev.Staff("E1", StaffAction.Left, Thursday));
        DaysUntil(h, Thursday, Ev.At(2026, 3, 9, 12));
        Assert.Empty(h.Alerts(RuleIds.LeaverAccount)); // Monday closed: two working days so far

        DaysUntil(h, Ev.At(2026, 3, 10, 12), Ev.At(2026, 3, 10, 12));

        var alert = Assert.Single(h.Alerts(RuleIds.LeaverAccount));
        Assert.Equal(("user", "Q1", "high", "2026-03-10"), (alert.EntityType, alert.UserId, alert.Severity, alert.Day));
        Assert.Contains("employee E1 is still enabled 3 working days after the employee left the bank (HR, effective 2026-03-05 17:30 local)", alert.Explanation);
        Assert.Empty(h.Output.Commands); // high: an officer disables it; only a use suspends by default
    }

    [Fact]
    public void An_account_disabled_in_time_raises_nothing()
    {
        var h = new Harness().Feed(Work(Thursday.AddHours(-6)), Ev.Staff("E1", StaffAction.Left, Thursday), Disabled(Thursday.AddDays(4)));
        DaysUntil(h, Thursday, Ev.At(2026, 3, 16, 12));

        Assert.Empty(h.Alerts(RuleIds.LeaverAccount));
    }

    [Fact]
    public void A_password_reset_of_a_disabled_account_does_not_make_it_enabled_again()
    {
        var reset = Ev.Account("Q1", AccountAction.PasswordChanged, Thursday.AddDays(5)) with { EmployeeId = "E1" };
        var h = new Harness().Feed(Work(Thursday.AddHours(-6)), Ev.Staff("E1", StaffAction.Left, Thursday), Disabled(Thursday.AddDays(1)), reset);
        DaysUntil(h, Thursday, Ev.At(2026, 3, 16, 12));

        Assert.Empty(h.Alerts(RuleIds.LeaverAccount));
    }

    [Fact]
    public void A_leavers_account_reading_after_the_effective_time_is_critical_at_once_and_suspends()
    {
        var h = new Harness().Feed(Work(Thursday.AddHours(-6)), Ev.Staff("E1", StaffAction.Left, Thursday), Work(Thursday.AddHours(15)));

        var alert = Assert.Single(h.Alerts(RuleIds.LeaverAccount));
        Assert.Equal(("Q1", "critical"), (alert.UserId, alert.Severity));
        Assert.Contains("read a credit report at 2026-03-06 08:30:00 local, after the employee left the bank", alert.Explanation);
        Assert.Equal("Q1", Assert.Single(h.Output.Commands).UserId);
    }

    [Fact]
    public void A_transfer_concerns_the_accounts_of_the_old_branch_only()
    {
        var h = new Harness().Feed(
            Work(Thursday.AddHours(-6)), Work(Thursday.AddHours(-5), "Q7", "SB0202"),
            Ev.Staff("E1", StaffAction.Transferred, Thursday, branch: "SB0202"),
            Work(Thursday.AddHours(16), "Q7", "SB0202"), Work(Thursday.AddHours(16).AddMinutes(5)));

        var alert = Assert.Single(h.Alerts(RuleIds.LeaverAccount));
        Assert.Equal(("Q1", "high"), (alert.UserId, alert.Severity));
        Assert.Contains("after the employee moved to branch SB0202", alert.Explanation);
    }

    [Fact]
    public void Joining_again_ends_the_watch()
    {
        var h = new Harness().Feed(Work(Thursday.AddHours(-6)), Ev.Staff("E1", StaffAction.Left, Thursday), Ev.Staff("E1", StaffAction.Joined, Thursday.AddHours(14)),
            Work(Thursday.AddHours(15)));
        DaysUntil(h, Thursday, Ev.At(2026, 3, 12, 12));

        Assert.Empty(h.Alerts(RuleIds.LeaverAccount));
    }

    [Fact]
    public void The_watch_survives_a_restart()
    {
        var context = DetectorContext.Default();
        var before = new EmployeeMonitor("E1", context);
        var output = new DetectionOutput();
        before.Process(Work(Thursday.AddHours(-6)), output);
        before.Process(Ev.Staff("E1", StaffAction.Left, Thursday), output);
        var after = new EmployeeMonitor("E1", context);
        Assert.Empty(StateComparer.RoundTrip(before, after, typeof(DetectorContext)));

        after.Process(Work(Thursday.AddHours(15)), output);

        Assert.Equal(RuleIds.LeaverAccount, Assert.Single(output.Alerts).Rule);
    }
}
