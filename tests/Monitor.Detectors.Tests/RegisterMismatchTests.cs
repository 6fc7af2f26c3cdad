using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>REGISTER_MISMATCH: the day's reads match the approval register (查询审批登记簿) one for one, judged when the day closes.</summary>
public sealed class RegisterMismatchTests
{
    private static readonly DateTimeOffset Monday = Ev.Monday10;

    private static QueryLogEvent Read(int minute, string user = "Q1", Purpose purpose = Purpose.LoanApproval) => Ev.Query(user, Monday.AddMinutes(minute), purpose: purpose);

    /// <summary>Another account's registered read, so the register has delivered for the branch that day.</summary>
    private static QueryLogEvent[] OtherRegistered()
    {
        var other = Read(5, "Q2");
        return [Ev.Register(other), other];
    }

    [Fact]
    public void Reads_each_with_its_entry_raise_nothing_and_the_sheet_shows_the_register_matched()
    {
        var a = Read(0);
        var b = Read(40);
        var h = new Harness().Feed(Ev.Register(a), a, Ev.Register(b), b).Feed(Ev.DayAfter(Monday));

        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch));
        var day = Assert.Single(h.Output.Days, d => d.UserId == "Q1");
        Assert.Equal(new RegisterDay(2, 2, 0), day.Register);
    }

    [Fact]
    public void A_read_without_an_entry_is_found_when_the_day_closes_naming_the_read()
    {
        var registered = Read(0);
        var bare = Read(60) with { SubjectId = "s-nobody-approved" };
        var h = new Harness().Feed(Ev.Register(registered), registered, bare);
        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch)); // an entry may still come within the allowed lateness

        h.Feed(Ev.DayAfter(Monday));

        var alert = Assert.Single(h.Alerts(RuleIds.RegisterMismatch));
        Assert.Equal(("Q1", "medium"), (alert.UserId, alert.Severity));
        Assert.Contains("2 reads needing a register entry, 1 entries approved that day; 1 read without an entry (11:00:00 loan_approval subject s-nobody-approved)", alert.Explanation);
        Assert.Equal(new RegisterDay(2, 1, 1), Assert.Single(h.Output.Days, d => d.UserId == "Q1").Register);
    }

    [Fact]
    public void One_entry_covers_one_read_a_second_read_of_the_same_subject_needs_its_own()
    {
        var first = Read(0);
        var again = first with { EventId = "again", OccurredAt = first.OccurredAt.AddMinutes(20) };
        var h = new Harness().Feed(Ev.Register(first), first, again).Feed(Ev.DayAfter(Monday));

        Assert.Contains("1 read without an entry", Assert.Single(h.Alerts(RuleIds.RegisterMismatch)).Explanation);
    }

    [Fact]
    public void An_entry_recorded_a_little_after_the_read_still_covers_it_but_not_one_hours_later()
    {
        var soon = Read(0);
        var late = Read(30, "Q3");
        var h = new Harness().Feed(soon, Ev.Register(soon, before: TimeSpan.FromMinutes(-20)), late, Ev.Register(late, before: TimeSpan.FromHours(-3)))
            .Feed(Ev.DayAfter(Monday));

        var alert = Assert.Single(h.Alerts(RuleIds.RegisterMismatch));
        Assert.Equal("Q3", alert.UserId);
        Assert.Contains("1 read without an entry", alert.Explanation);
    }

    [Fact]
    public void An_entry_no_read_used_is_a_mismatch_unless_the_settings_leave_unused_entries_alone()
    {
        var approvedOnly = Ev.Register(Read(0));
        var mismatch = new Harness().Feed(OtherRegistered()).Feed(approvedOnly).Feed(Ev.DayAfter(Monday.AddDays(1)));
        Assert.Contains("1 register entry no read used (REG-", Assert.Single(mismatch.Alerts(RuleIds.RegisterMismatch)).Explanation);

        var lenient = Harness.FromJson("""{ "registerMismatch": { "unusedEntries": false } }""")
            .Feed(OtherRegistered()).Feed(Ev.Register(Read(0))).Feed(Ev.DayAfter(Monday.AddDays(1)));
        Assert.Empty(lenient.Alerts(RuleIds.RegisterMismatch));
    }

    [Fact]
    public void A_failed_attempt_needs_no_entry_and_makes_its_entry_count_as_used()
    {
        var failed = Read(0) with { Outcome = Outcome.Failed };
        var h = new Harness().Feed(Ev.Register(failed), failed).Feed(OtherRegistered()).Feed(Ev.DayAfter(Monday.AddDays(1)));

        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch));
    }

    [Fact]
    public void A_retry_the_next_day_takes_its_own_new_entry_not_the_one_the_failed_attempt_used()
    {
        var failed = Read(0) with { Outcome = Outcome.Failed };
        var retry = failed with { EventId = "retry", OccurredAt = failed.OccurredAt.AddHours(23), Outcome = Outcome.Success };
        var h = new Harness().Feed(Ev.Register(failed), failed).Feed(Ev.DayAfter(Monday)).Feed(Ev.Register(retry), retry)
            .Feed(Ev.DayAfter(Monday.AddDays(1))).Feed(Ev.DayAfter(Monday.AddDays(2)));

        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch));
    }

    [Fact]
    public void Purposes_the_settings_do_not_list_need_no_entry()
    {
        var h = new Harness().Feed(OtherRegistered()).Feed(Read(0, purpose: Purpose.SelfQuery), Read(1, purpose: Purpose.LegalAuthority)).Feed(Ev.DayAfter(Monday));

        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch));
    }

    [Fact]
    public void Without_register_entries_for_the_branch_that_day_nothing_is_judged_and_the_sheet_says_so()
    {
        var h = new Harness().Feed(Read(0), Read(10), Read(20)).Feed(Ev.DayAfter(Monday));

        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch));
        Assert.Null(Assert.Single(h.Output.Days, d => d.UserId == "Q1").Register);
    }

    [Fact]
    public void Entries_of_another_branch_do_not_make_this_branch_judged()
    {
        var elsewhere = Ev.Query("Q9", Monday, branch: "SB0202");
        var h = new Harness().Feed(Ev.Register(elsewhere), elsewhere, Read(0)).Feed(Ev.DayAfter(Monday));

        Assert.Empty(h.Alerts(RuleIds.RegisterMismatch));
    }

    [Fact]
    public void A_read_waiting_for_its_entry_survives_a_restart()
    {
        var context = DetectorContext.Default();
        var read = Read(0);
        var before = new UserMonitor("Q1", context);
        var output = new DetectionOutput();
        before.Process(read, output);
        var after = new UserMonitor("Q1", context);
        Assert.Empty(StateComparer.RoundTrip(before, after, typeof(DetectorContext)));

        after.Process(Ev.Register(read, before: TimeSpan.FromMinutes(-5)), output);
        after.EndOfDay(new Pipeline.DayClose(new DateOnly(2026, 3, 2).DayNumber, Ev.At(2026, 3, 3, 2))
        {
            RegisterBranches = new Dictionary<int, IReadOnlySet<string>> { [new DateOnly(2026, 3, 2).DayNumber] = new HashSet<string> { "SB0101" } },
        }, output);

        Assert.DoesNotContain(output.Alerts, a => a.Rule == RuleIds.RegisterMismatch);
        Assert.Equal(new RegisterDay(1, 1, 0), Assert.Single(output.Days).Register);
    }
}
