using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>REPEATED_SUBJECT (per user and across users), REPEAT_RATIO and POST_LOAN_ABUSE.</summary>
public sealed class SubjectRuleTests
{
    private static QueryLogEvent Read(string subject, DateTimeOffset at, string user = "Q1", string branch = "SB0101", Purpose purpose = Purpose.LoanApproval) =>
        Ev.Query(user, at, branch, purpose) with { SubjectId = subject };

    [Fact]
    public void Fourth_read_of_one_subject_within_72_hours_is_flagged_and_the_third_is_not()
    {
        var t = Ev.At(2026, 3, 2, 10);
        var three = Enumerable.Range(0, 3).Select(i => Read("sX", t.AddHours(20 * i))).ToArray();
        Assert.Empty(new Harness().Feed(three).Alerts(RuleIds.RepeatedSubject));
        var h = new Harness().Feed(three).Feed(Read("sX", t.AddHours(71)));
        Assert.Contains("subject sX 4 times within 72 h", Assert.Single(h.LatestOf(RuleIds.RepeatedSubject)).Explanation);
    }

    [Fact]
    public void Reads_of_one_subject_spread_beyond_the_window_are_not_flagged()
    {
        var t = Ev.At(2026, 3, 2, 10);
        Assert.Empty(new Harness().Feed(Enumerable.Range(0, 4).Select(i => Read("sX", t.AddHours(25 * i)))).Alerts(RuleIds.RepeatedSubject));
    }

    [Fact]
    public void Subject_read_by_four_users_within_a_day_is_flagged_on_the_subject_and_by_three_is_not()
    {
        var t = Ev.At(2026, 3, 2, 10);
        var three = Enumerable.Range(1, 3).Select(i => Read("sX", t.AddHours(i), $"Q{i}")).ToArray();
        Assert.Empty(new Harness().Feed(three).Alerts(RuleIds.RepeatedSubject));
        var alert = Assert.Single(new Harness().Feed(three).Feed(Read("sX", t.AddHours(5), "Q4")).LatestOf(RuleIds.RepeatedSubject));
        Assert.Equal(("subject", "sX"), (alert.EntityType, alert.EntityId));
        Assert.Contains("read by 4 users in 1 branches", alert.Explanation);
    }

    [Fact]
    public void Subject_read_in_three_branches_within_a_day_is_flagged() =>
        Assert.Single(new Harness().Feed(Read("sX", Ev.At(2026, 3, 2, 9), "Q1", "SB0101"), Read("sX", Ev.At(2026, 3, 2, 10), "Q2", "SB0102"),
            Read("sX", Ev.At(2026, 3, 2, 11), "Q3", "SB0103")).LatestOf(RuleIds.RepeatedSubject));

    [Fact]
    public void User_rereading_a_third_of_its_subjects_in_a_week_raises_repeat_ratio_and_a_few_rereads_do_not()
    {
        var t = Ev.At(2026, 3, 2, 9);
        var firstReads = Enumerable.Range(0, 40).Select(i => Read($"s{i}", t.AddMinutes(10 * i))).ToList();
        var few = Enumerable.Range(0, 5).Select(i => Read($"s{i}", t.AddDays(1).AddMinutes(10 * i)));
        Assert.Empty(new Harness().Feed(firstReads).Feed(few).Alerts(RuleIds.RepeatRatio));
        var many = Enumerable.Range(0, 14).Select(i => Read($"s{i}", t.AddDays(1).AddMinutes(10 * i)));
        var alert = Assert.Single(new Harness().Feed(firstReads).Feed(many).LatestOf(RuleIds.RepeatRatio));
        Assert.Contains("40 distinct subjects in the last 7 days and 14 of them (35%) more than once", alert.Explanation);
    }

    /// <summary>Three weeks of a sub-branch where post-loan queries concern subjects approved before.</summary>
    private static List<QueryLogEvent> OrdinaryBranch()
    {
        var events = new List<QueryLogEvent>();
        for (var d = 0; d < 22; d++)
        {
            var day = Ev.At(2026, 3, 2, 9).AddDays(d);
            for (var i = 0; i < 6; i++)
            {
                events.Add(Read($"c{d}-{i}", day.AddMinutes(i), "Q1"));
                if (d > 0) events.Add(Read($"c{d - 1}-{i}", day.AddMinutes(30 + i), "Q2", purpose: Purpose.PostLoanManagement));
            }
        }
        return events;
    }

    [Fact]
    public void Post_loan_reads_of_subjects_the_branch_never_authorized_are_flagged()
    {
        var at = Ev.At(2026, 3, 24, 10);
        var h = new Harness().Feed(OrdinaryBranch()).Feed(Enumerable.Range(0, 5).Select(i => Read($"new{i}", at.AddMinutes(i), "Q3", purpose: Purpose.PostLoanManagement)));
        var alert = Assert.Single(h.LatestOf(RuleIds.PostLoanAbuse));
        Assert.Equal(("Q3", "high"), (alert.UserId, alert.Severity));
        Assert.Contains("read 5 credit reports on 2026-03-24 under post_loan_management for subjects branch SB0101 has no earlier authorized query", alert.Explanation);
    }

    [Fact]
    public void Post_loan_reads_of_known_subjects_or_fewer_unknown_ones_are_not_flagged()
    {
        var at = Ev.At(2026, 3, 24, 10);
        var known = Enumerable.Range(0, 6).Select(i => Read($"c3-{i}", at.AddMinutes(i), "Q3", purpose: Purpose.PostLoanManagement));
        var fourUnknown = Enumerable.Range(0, 4).Select(i => Read($"new{i}", at.AddMinutes(10 + i), "Q3", purpose: Purpose.PostLoanManagement));
        Assert.Empty(new Harness().Feed(OrdinaryBranch()).Feed(known).Feed(fourUnknown).Alerts(RuleIds.PostLoanAbuse));
    }

    [Fact]
    public void Branch_whose_post_loan_subjects_are_usually_unknown_is_not_judged_on_them()
    {
        // A monitor started after the loans were granted: every post-loan subject is unknown to it.
        var events = OrdinaryBranch().Select(e => e.Purpose == Purpose.PostLoanManagement ? e with { SubjectId = "old-" + e.EventId } : e).ToList();
        var at = Ev.At(2026, 3, 24, 10);
        var h = new Harness().Feed(events).Feed(Enumerable.Range(0, 6).Select(i => Read($"new{i}", at.AddMinutes(i), "Q3", purpose: Purpose.PostLoanManagement)));
        Assert.Empty(h.Alerts(RuleIds.PostLoanAbuse));
    }

    [Fact]
    public void User_whose_post_loan_share_jumps_is_flagged()
    {
        var events = new List<QueryLogEvent>();
        for (var d = 0; d < 6; d++)
            for (var i = 0; i < 10; i++)
                events.Add(Read($"x{d}-{i}", Ev.At(2026, 3, 2, 9).AddDays(d).AddMinutes(i), purpose: i < 2 ? Purpose.PostLoanManagement : Purpose.LoanApproval));
        var jump = Enumerable.Range(0, 16).Select(i => Read($"y{i}", Ev.At(2026, 3, 8, 9).AddMinutes(i), purpose: i < 4 ? Purpose.LoanApproval : Purpose.PostLoanManagement));
        var alert = Assert.Single(new Harness().Feed(events).Feed(jump).LatestOf(RuleIds.PostLoanAbuse));
        Assert.Contains("its usual share is 20%", alert.Explanation);
    }
}
