using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Rules;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>
/// The state of every rule class survives a restart: nothing differs after a round trip, and the restored
/// instance judges the next events as the one that never stopped.
/// </summary>
public sealed class RuleStateTests
{
    // Standing conditions (ROLE_CONFLICT, SHARED_ACCOUNT's accounts per person) repeat daily here, so that a restart in
    // the middle has something to carry over from one day to the next (they repeat weekly by default).
    private readonly DetectorContext _context = new(new Settings.DetectionSettings
    {
        RoleConflict = new Settings.RoleConflictSettings { RepeatDays = 1 },
        SharedAccount = new Settings.SharedAccountSettings { RepeatDays = 1 },
    });

    private EventContext C(QueryLogEvent e) => EventContext.Of(e, _context.Policies, _context.Calendar);

    private static QueryLogEvent Read(string subject, DateTimeOffset at, string user = "Q1", string branch = "SB0101", Purpose purpose = Purpose.LoanApproval) =>
        Ev.Query(user, at, branch, purpose) with { SubjectId = subject };

    /// <summary>Feeds <paramref name="before"/>, restarts, then feeds <paramref name="after"/> to both; returns what each said after.</summary>
    private static (List<T> Original, List<T> Restored) Twins<TState, T>(Func<TState> make, Func<TState, QueryLogEvent, IEnumerable<T>> feed,
        IEnumerable<QueryLogEvent> before, IEnumerable<QueryLogEvent> after) where TState : IDurableState
    {
        var original = make();
        foreach (var e in before) _ = feed(original, e).ToList();
        var restored = Restart.Into(original, make());
        List<T> a = [], b = [];
        foreach (var e in after)
        {
            a.AddRange(feed(original, e));
            b.AddRange(feed(restored, e));
        }
        Assert.NotEmpty(a); // the sequence must make the rule speak, or the comparison proves nothing
        Assert.Equal(a, b);
        Assert.Empty(StateComparer.Differences(original, restored, typeof(DetectorContext)));
        return (a, b);
    }

    private IEnumerable<Finding> Volume(VolumeCounter v, QueryLogEvent e)
    {
        var into = new List<Finding>();
        v.Count(C(e), EntityKind.User, e.UserId, 5, 12, Texts.Phrase.Of("label.user", e.UserId), into);
        return into;
    }

    [Fact]
    public void Volume_counter_keeps_the_day_and_month_counts()
    {
        var before = Enumerable.Range(0, 4).Select(i => Ev.Query(at: Ev.At(2026, 3, 2, 9).AddMinutes(i)))
            .Concat(Enumerable.Range(0, 4).Select(i => Ev.Query(at: Ev.At(2026, 3, 3, 9).AddMinutes(i))));
        var after = Enumerable.Range(0, 6).Select(i => Ev.Query(at: Ev.At(2026, 3, 3, 10).AddMinutes(i)));
        var (found, _) = Twins<VolumeCounter, Finding>(() => new VolumeCounter(), Volume, before, after);
        Assert.Contains(found, f => f.Explanation.Contains("queried 6 credit reports on 2026-03-03", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Explanation.Contains("queried 13 credit reports in 2026-03", StringComparison.Ordinal));
    }

    [Fact]
    public void Relative_volume_keeps_its_history_and_the_open_days()
    {
        static IEnumerable<QueryLogEvent> Days(int from, int to, int perDay) =>
            Enumerable.Range(from, to - from).SelectMany(d => Enumerable.Range(0, perDay).Select(i => Ev.Query(at: Ev.At(2026, 3, 2, 9).AddDays(d).AddMinutes(i))));
        IEnumerable<(int, int, int)> Feed(RelativeVolume v, QueryLogEvent e)
        {
            var c = C(e);
            return v.Count(c.Day, c.Calendar.IsWorkingDay(c.Day), 2.0, 4, 3) is { } over ? [over] : [];
        }
        var (over, _) = Twins<RelativeVolume, (int, int, int)>(() => new RelativeVolume(), Feed, Days(0, 20, 3).Concat(Days(20, 21, 2)), Days(20, 21, 10));
        Assert.Equal((7, 3, 6), over[0]); // the restored day goes on from the 2 queries before the restart
    }

    [Fact]
    public void Account_sightings_keep_where_the_account_was_last_seen()
    {
        var t = Ev.At(2026, 3, 2, 10);
        IEnumerable<Finding> Feed(AccountSightings s, QueryLogEvent e) => s.Observe(C(e), TimeSpan.FromMinutes(30)) is { } f ? [f] : [];
        var (found, _) = Twins<AccountSightings, Finding>(() => new AccountSightings(), Feed,
            [Ev.Query("Q1", t) with { TerminalId = "T-A" }, Ev.Query("Q1", t.AddMinutes(1)) with { TerminalId = "T-A", Ip = "10.1.1.2" }],
            [Ev.Query("Q1", t.AddMinutes(5)) with { TerminalId = "T-B" }]);
        Assert.Contains("terminal T-A and terminal T-B", Assert.Single(found).Explanation);
    }

    [Fact]
    public void Account_status_keeps_the_block_and_the_password_date()
    {
        IEnumerable<Finding> Feed(AccountStatus s, QueryLogEvent e)
        {
            var into = new List<Finding>();
            s.Observe(C(e), into);
            return into;
        }
        var (found, _) = Twins<AccountStatus, Finding>(() => new AccountStatus(), Feed,
            [Ev.Account("Q1", AccountAction.Created, Ev.At(2025, 12, 1, 9)), Ev.Query("Q1", Ev.At(2025, 12, 2, 9)), Ev.Account("Q1", AccountAction.Suspended, Ev.At(2026, 3, 1, 9))],
            [Ev.Query("Q1", Ev.At(2026, 3, 2, 10))]);
        Assert.Contains(found, f => f.Rule == RuleIds.DormantAccount && f.Severity == Severity.Critical);
        Assert.Contains(found, f => f.Rule == RuleIds.PasswordAge);
    }

    [Fact]
    public void Employee_accounts_keep_the_accounts_seen_and_the_days_raised()
    {
        IEnumerable<Finding> Feed(EmployeeAccounts a, QueryLogEvent e)
        {
            var into = new List<Finding>();
            a.Observe(C(e), "E9", into);
            return into;
        }
        var admin = Ev.Query("UA9", Ev.At(2026, 3, 2, 8), role: UserRole.UserAdmin) with { Type = EventType.Login };
        var (found, _) = Twins<EmployeeAccounts, Finding>(() => new EmployeeAccounts(), Feed,
            [admin, Ev.Query("Q1", Ev.At(2026, 3, 2, 9)), Ev.Query("Q2", Ev.At(2026, 3, 2, 10))],
            [Ev.Query("Q2", Ev.At(2026, 3, 2, 11)), Ev.Query("Q1", Ev.At(2026, 3, 3, 9))]);
        // Both were raised on 2026-03-02 before the restart, so after it only the next day raises them again.
        Assert.Equal([RuleIds.SharedAccount, RuleIds.RoleConflict], found.Select(f => f.Rule));
        Assert.All(found, f => Assert.Equal(Ev.At(2026, 3, 3, 9), f.EventTime));
    }

    [Fact]
    public void Failure_window_keeps_the_failures_in_order()
    {
        var t = Ev.At(2026, 3, 2, 8);
        var fails = Enumerable.Range(0, 6).Select(i => Ev.Query($"Q{i % 3}", t.AddMinutes(3 * i)) with { Type = EventType.Login, Outcome = Outcome.Failed }).ToList();
        IEnumerable<(int, int, bool)> Feed(FailureWindow w, QueryLogEvent e)
        {
            var (failures, accounts) = w.Add(e.OccurredAt, e.UserId, TimeSpan.FromMinutes(10));
            return [(failures, accounts, w.IsStale(e.OccurredAt.AddMinutes(11), TimeSpan.FromMinutes(10)))];
        }
        var (seen, _) = Twins<FailureWindow, (int, int, bool)>(() => new FailureWindow(), Feed, fails[..4], fails[4..]);
        Assert.Equal((4, 3, true), seen[0]); // the failure at 8:00 has left the window; 8:03, 8:06, 8:09, 8:12 remain
    }

    [Fact]
    public void Post_loan_watch_keeps_the_known_subjects_the_baseline_and_each_users_history()
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
        var at = Ev.At(2026, 3, 24, 10);
        IEnumerable<Finding> Feed(PostLoanWatch w, QueryLogEvent e)
        {
            var into = new List<Finding>();
            w.Observe(C(e), ownUser: true, into);
            return into;
        }
        var (found, _) = Twins<PostLoanWatch, Finding>(() => new PostLoanWatch(), Feed, events,
            Enumerable.Range(0, 5).Select(i => Read($"new{i}", at.AddMinutes(i), "Q3", purpose: Purpose.PostLoanManagement)));
        Assert.Contains(found, f => f.Rule == RuleIds.PostLoanAbuse && f.Severity == Severity.High);
    }

    [Fact]
    public void Subject_crowd_keeps_the_recent_readers()
    {
        var t = Ev.At(2026, 3, 2, 10);
        IEnumerable<Finding> Feed(SubjectCrowd s, QueryLogEvent e) => s.Observe(C(e)) is { } f ? [f] : [];
        var (found, _) = Twins<SubjectCrowd, Finding>(() => new SubjectCrowd(), Feed,
            Enumerable.Range(1, 3).Select(i => Read("sX", t.AddHours(i), $"Q{i}")),
            [Read("sX", t.AddHours(5), "Q4"), Read("sX", t.AddHours(6), "Q5")]);
        Assert.Contains("read by 4 users", Assert.Single(found).Explanation); // raised once a day: Q5 adds none
    }

    [Fact]
    public void Subject_history_keeps_the_subjects_and_their_repeats()
    {
        var t = Ev.At(2026, 3, 2, 10);
        IEnumerable<Finding> Feed(SubjectHistory h, QueryLogEvent e)
        {
            var into = new List<Finding>();
            h.Observe(C(e), into);
            return into;
        }
        var before = Enumerable.Range(0, 5).Select(i => Read($"o{i}", t.AddMinutes(i - 10))).Concat(Enumerable.Range(0, 3).Select(i => Read("sX", t.AddHours(20 * i))));
        var (found, _) = Twins<SubjectHistory, Finding>(() => new SubjectHistory(), Feed, before, [Read("sX", t.AddHours(71))]);
        Assert.Contains(found, f => f.Explanation.Contains("subject sX 4 times within 72 h", StringComparison.Ordinal));
    }

    [Fact]
    public void A_snapshot_of_one_class_restored_into_another_is_refused_by_its_tag()
    {
        var volume = new VolumeCounter();
        _ = Volume(volume, Ev.Query()).ToList();
        var thrown = Assert.Throws<StateFormatException>(() => Restart.Load(new RelativeVolume(), Restart.Bytes(volume)));
        Assert.Contains("expected the state of RelativeVolume, found VolumeCounter", thrown.Message);
    }

    [Fact]
    public void A_rule_snapshot_cut_short_is_refused_as_a_format_error()
    {
        var history = new SubjectHistory();
        var t = Ev.At(2026, 3, 2, 10);
        foreach (var e in Enumerable.Range(0, 4).Select(i => Read("sX", t.AddHours(i)))) history.Observe(C(e), []);
        Restart.EveryCutIsRefused(Restart.Bytes(history), () => new SubjectHistory());
    }
}
