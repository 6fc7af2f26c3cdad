using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>LOGIN_FAILURES per account and per terminal; KIOSK_OFF_HOURS; OFF_HOURS with per-channel hours.</summary>
public sealed class LoginAndKioskTests
{
    private static QueryLogEvent Login(string user, DateTimeOffset at, Outcome outcome = Outcome.Failed, string terminal = "T-1") => new()
    {
        EventId = $"login-{user}-{at.Ticks}", Type = EventType.Login, OccurredAt = at, UserId = user, BranchId = "SB0101",
        ParentBranchId = "BR0100", TerminalId = terminal, Outcome = outcome,
    };

    private static QueryLogEvent[] Failures(string user, int count, DateTimeOffset from, TimeSpan step) =>
        Enumerable.Range(0, count).Select(i => Login(user, from + step * i)).ToArray();

    [Fact]
    public void Five_failed_logins_within_fifteen_minutes_are_flagged_and_four_are_not()
    {
        var t = Ev.At(2026, 3, 2, 8);
        Assert.Single(new Harness().Feed(Failures("Q1", 5, t, TimeSpan.FromMinutes(3))).LatestOf(RuleIds.LoginFailures));
        Assert.Empty(new Harness().Feed(Failures("Q1", 4, t, TimeSpan.FromMinutes(3))).Alerts(RuleIds.LoginFailures));
        Assert.Empty(new Harness().Feed(Failures("Q1", 5, t, TimeSpan.FromMinutes(4))).Alerts(RuleIds.LoginFailures)); // 16 min span
    }

    [Fact]
    public void A_successful_login_ends_the_run_of_failures()
    {
        var t = Ev.At(2026, 3, 2, 8);
        var h = new Harness().Feed(Failures("Q1", 3, t, TimeSpan.FromMinutes(1))).Feed(Login("Q1", t.AddMinutes(4), Outcome.Success)).Feed(Failures("Q1", 3, t.AddMinutes(5), TimeSpan.FromMinutes(1)));
        Assert.Empty(h.Alerts(RuleIds.LoginFailures));
    }

    [Fact]
    public void Ten_failures_on_one_terminal_across_accounts_are_flagged_on_the_terminal()
    {
        var t = Ev.At(2026, 3, 2, 8);
        var h = new Harness().Feed(Enumerable.Range(0, 10).Select(i => Login($"Q{i % 5}", t.AddMinutes(i))));
        var alert = Assert.Single(h.LatestOf(RuleIds.LoginFailures), a => a.EntityType == "terminal");
        Assert.Equal("T-1", alert.EntityId);
        Assert.Contains("10 failed logins on 5 accounts", alert.Explanation);
    }

    [Fact]
    public void Kiosk_used_after_its_hours_is_flagged_and_within_them_is_not()
    {
        QueryLogEvent Kiosk(DateTimeOffset at) => Ev.Query("KS1", at, purpose: Purpose.SelfQuery, role: UserRole.WindowQuery, channel: Channel.SelfServiceKiosk);
        Assert.Single(new Harness().Feed(Kiosk(Ev.At(2026, 3, 2, 20, 0))).Alerts(RuleIds.KioskOffHours));
        Assert.Empty(new Harness().Feed(Kiosk(Ev.At(2026, 3, 2, 19, 59)), Kiosk(Ev.At(2026, 3, 7, 11))).Alerts(RuleIds.KioskOffHours));
        var closedWeekends = Harness.FromJson("""{ "branches": { "BR0100": { "kiosk": { "nonWorkingDays": false } } } }""");
        Assert.Contains("kiosks are closed on non-working days", Assert.Single(closedWeekends.Feed(Kiosk(Ev.At(2026, 3, 7, 11))).Alerts(RuleIds.KioskOffHours)).Explanation);
    }

    [Fact]
    public void Channel_with_its_own_hours_is_judged_on_them()
    {
        var h = Harness.FromJson("""{ "workingHours": { "channels": { "api": { "start": "07:00", "end": "22:00" } } } }""");
        h.Feed(Ev.Query("A1", Ev.At(2026, 3, 2, 21), channel: Channel.Api), Ev.Query("C1", Ev.At(2026, 3, 2, 21)));
        Assert.Equal(["C1"], h.Alerts(RuleIds.OffHours).Select(a => a.UserId));
    }
}
