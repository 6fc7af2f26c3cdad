using Monitor.Contracts;
using Monitor.Detectors.Rules;
using Monitor.Detectors.Verification;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class DayTallyTests
{
    private readonly DetectorContext _context = DetectorContext.Default();
    private static readonly int Monday = new DateOnly(2026, 3, 2).DayNumber;

    private void Observe(DayTally tally, QueryLogEvent e, double rate = 0.02) => tally.Observe(EventContext.Of(e, _context.Policies, _context.Calendar), rate);

    [Fact]
    public void A_closed_day_counts_reads_by_purpose_authorizations_off_hours_logins_and_account_changes()
    {
        var tally = new DayTally();
        Observe(tally, Ev.Query("Q1", purpose: Purpose.LoanApproval));
        Observe(tally, Ev.Query("Q1", purpose: Purpose.LoanApproval) with { AuthorizationId = null });
        Observe(tally, Ev.Query("Q1", purpose: Purpose.PostLoanManagement));
        Observe(tally, Ev.Query("Q1", Ev.At(2026, 3, 2, 21), purpose: Purpose.SelfQuery)); // after hours
        Observe(tally, Ev.Query("Q1", outcome: Outcome.Denied));
        Observe(tally, Ev.Query("Q1") with { Type = EventType.Login, Outcome = Outcome.Success, Purpose = null });
        Observe(tally, Ev.Query("Q1") with { Type = EventType.Login, Outcome = Outcome.Failed, Purpose = null });
        Observe(tally, Ev.Account("Q1", AccountAction.PasswordChanged));

        var day = Assert.Single(tally.Close(Monday, "Q1"));

        Assert.Equal(("Q1", "SB0101", "2026-03-02"), (day.UserId, day.BranchId, day.Day));
        Assert.Equal(new Dictionary<string, int> { ["loan_approval"] = 2, ["post_loan_management"] = 1, ["self_query"] = 1 }, day.Reads);
        Assert.Equal(4, day.ReadsTotal);
        Assert.Equal(1, day.Refused);
        Assert.Equal((2, 1), (day.NeedingAuthorization, day.Authorized)); // loan approval needs one; post-loan management does not
        Assert.Equal(1, day.OffHours);
        Assert.Equal((1, 1), (day.Logins, day.LoginFailures));
        Assert.Equal(1, day.AccountChanges);
    }

    [Fact]
    public void Only_days_the_tick_has_passed_close_and_each_closes_once()
    {
        var tally = new DayTally();
        Observe(tally, Ev.Query("Q1", Ev.At(2026, 3, 2, 10)));
        Observe(tally, Ev.Query("Q1", Ev.At(2026, 3, 3, 10)));

        Assert.Empty(tally.Close(Monday - 1, "Q1"));
        Assert.Equal(["2026-03-02"], tally.Close(Monday, "Q1").Select(d => d.Day));
        Assert.Empty(tally.Close(Monday, "Q1"));
        Assert.Equal(["2026-03-03"], tally.Close(Monday + 1, "Q1").Select(d => d.Day));
    }

    [Fact]
    public void The_spot_check_sample_is_drawn_by_event_id_at_about_the_rate_and_the_same_every_time()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"evt-{i}").ToList();
        var drawn = ids.Where(id => DayTally.Sampled(id, 0.05)).ToList();

        Assert.InRange(drawn.Count, 850, 1150);
        Assert.Equal(drawn, ids.Where(id => DayTally.Sampled(id, 0.05)));
        Assert.DoesNotContain(ids, id => DayTally.Sampled(id, 0));
        Assert.Equal(ids.Count, ids.Count(id => DayTally.Sampled(id, 1)));

        var tally = new DayTally();
        var reads = ids.Take(400).Select(id => Ev.Query("Q1", id: id)).ToList();
        foreach (var e in reads) Observe(tally, e, 0.05);
        var sample = Assert.Single(tally.Close(Monday, "Q1")).Sample;
        Assert.Equal(reads.Where(e => DayTally.Sampled(e.EventId, 0.05)).Select(e => e.EventId), sample.Select(s => s.EventId));
        Assert.All(sample, s => Assert.Equal("loan_approval", s.Purpose));
    }

    [Fact]
    public void A_restart_keeps_the_open_days_figures_and_sample()
    {
        var tally = new DayTally();
        foreach (var i in Enumerable.Range(0, 60)) Observe(tally, Ev.Query("Q1", purpose: i % 2 == 0 ? Purpose.LoanApproval : Purpose.SelfQuery, id: $"r-{i}"), 0.2);
        Observe(tally, Ev.Account("Q1", AccountAction.RoleChanged));

        var restored = Restart.Into(tally, new DayTally());

        Assert.Equivalent(tally.Close(Monday, "Q1"), restored.Close(Monday, "Q1"));
    }
}
