using Monitor.Contracts;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>POST_LOAN_CUMULATIVE (issue 18, part 3): low and slow post-loan reads of subjects the branch never authorised.</summary>
public sealed class PostLoanCumulativeTests
{
    /// <summary>
    /// Thirty working days of a branch of four: each user approves eight loans a day and checks three of its branch's earlier
    /// loans under post-loan; from day <paramref name="from"/> on, user <c>X1</c> adds <paramref name="extra"/> post-loan
    /// reads a day of subjects nobody at the branch ever approved.
    /// </summary>
    private static Harness Run(int from, Func<int, int> extra)
    {
        var h = new Harness();
        var events = new List<QueryLogEvent>();
        var approved = new List<string>();
        var d = new LocalDate(2026, 3, 2);
        for (var i = 0; i < 30; d = d.PlusDays(1))
        {
            if (!h.Context.Calendar.IsWorkingDay(d)) continue;
            var at = Ev.At(d.Year, d.Month, d.Day, 9);
            foreach (var user in new[] { "X1", "X2", "X3", "X4" })
            {
                for (var k = 0; k < 8; k++)
                {
                    var loan = Ev.Query(user, at.AddMinutes(20 * k + user[1]), purpose: Purpose.LoanApproval);
                    approved.Add(loan.SubjectId!);
                    events.Add(loan);
                }
                for (var k = 0; k < 3 && approved.Count > 100; k++)
                    events.Add(Ev.Query(user, at.AddMinutes(200 + 20 * k + user[1]), purpose: Purpose.PostLoanManagement) with { SubjectId = approved[(i * 37 + k * 11 + user[1]) % (approved.Count - 40)] });
                if (user == "X1" && i >= from)
                    for (var k = 0; k < extra(i); k++)
                        events.Add(Ev.Query(user, at.AddMinutes(300 + 25 * k), purpose: Purpose.PostLoanManagement) with { SubjectId = $"stranger-{i}-{k}" });
            }
            i++;
        }
        return h.Feed(events.OrderBy(e => e.OccurredAt)).Feed(Ev.DayAfter(Ev.At(d.Year, d.Month, d.Day, 10)));
    }

    [Fact]
    public void Ordinary_post_loan_work_on_the_branch_s_own_loans_raises_nothing()
    {
        var h = Run(from: int.MaxValue, _ => 0);
        Assert.Empty(h.Alerts(RuleIds.PostLoanCumulative));
        Assert.Empty(h.Alerts(RuleIds.PostLoanAbuse));
    }

    [Fact]
    public void Three_or_four_unknown_post_loan_reads_a_day_are_found_within_a_few_days_while_each_day_stays_under_post_loan_abuse()
    {
        var h = Run(from: 18, i => 3 + i % 2);
        Assert.Empty(h.Alerts(RuleIds.PostLoanAbuse)); // five a day is its threshold
        var alert = h.Alerts(RuleIds.PostLoanCumulative).OrderBy(a => a.EventTime).First();
        Assert.Equal(("X1", "high"), (alert.UserId, alert.Severity));
        Assert.Matches(@"user X1 read 1\d credit reports over the last 14 days under post_loan_management for subjects branch SB0101 has no earlier authorized query for", alert.Explanation);
        // Day 18 is the first; by the fourth day of it (at most 4 × 4 reads) it is found.
        Assert.True(alert.EventTime < Ev.At(2026, 3, 31, 0), $"found only at {alert.EventTime}");
        // A standing condition: raised again only after repeatDays or at twice the count, not every day.
        var raised = h.LatestOf(RuleIds.PostLoanCumulative).Select(a => a.Day).ToList();
        Assert.InRange(raised.Count, 1, 3);
    }
}
