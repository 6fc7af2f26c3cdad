using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// POST_LOAN_ABUSE, kept by a branch (管理办法 §3, §13: post-loan management needs no authorization, which makes
/// it the purpose to hide behind). Judged on the branch's own users:
/// <list type="bullet">
/// <item>post-loan queries on subjects for which the branch (with the branches below it) has no earlier
/// authorized query: a loan the branch never approved has no post-loan management. Raised from
/// <c>unknownSubjectsPerDay</c> such subjects in a user-day, once the branch has been watched <c>warmupDays</c>
/// and only while the branch's own post-loan queries usually concern known subjects (at most
/// <c>maxUsualUnknownShare</c> unknown): where the monitor has not seen the loans (it started after them), the
/// sign carries no information and stays silent instead of flooding;</item>
/// <item>a user's post-loan day far above its own usual: the share of post-loan among its queries, or their count.</item>
/// </list>
/// Known subjects are held as 64-bit keys in 30-day buckets, dropped after <c>memoryDays</c>.
/// </summary>
public sealed class PostLoanWatch : IDurableState
{
    private const int BucketDays = 30;
    private const int BaselineDays = 28;
    private readonly Dictionary<int, HashSet<ulong>> _known = [];
    private readonly Dictionary<string, PostLoanUserDay> _users = new(StringComparer.Ordinal);
    private readonly (int Judged, int Unknown)[] _baseline = new (int, int)[BaselineDays];
    private int _firstDay = int.MinValue;
    private int _today = int.MinValue;

    public void Observe(in EventContext c, bool ownUser, List<Finding> into)
    {
        var e = c.Event;
        var rules = c.Policy.Rules.PostLoan;
        var day = Findings.DayNumber(c.Day);
        if (_firstDay == int.MinValue) _firstDay = day;
        if (day > _today) Roll(day, rules.MemoryDays);
        var key = e.SubjectKey;
        var postLoan = e.Purpose == Purpose.PostLoanManagement;
        if (key != 0 && !postLoan && !string.IsNullOrWhiteSpace(e.AuthorizationId))
        {
            var bucket = day / BucketDays;
            if (!_known.TryGetValue(bucket, out var set)) _known[bucket] = set = [];
            set.Add(key);
        }
        if (!ownUser) return;

        if (!_users.TryGetValue(e.UserId, out var u)) _users[e.UserId] = u = new PostLoanUserDay();
        u.Roll(day);
        u.Total++;
        if (!postLoan) return;
        u.PostLoan++;

        if (key != 0 && day - _firstDay >= rules.WarmupDays)
        {
            var slot = day % BaselineDays;
            var known = IsKnown(key);
            _baseline[slot] = (_baseline[slot].Judged + 1, _baseline[slot].Unknown + (known ? 0 : 1));
            var fresh = !known && (u.UnknownToday ??= []).Add(key);
            u.Judged(day, fresh);
            if (fresh && UsualUnknownShare(slot, u.Over(day - 1, BaselineDays - 1)) is { } branchShare && branchShare <= rules.MaxUsualUnknownShare) Cumulative(c, u, day, branchShare, into);
            if (!known && UsualUnknownShare(slot) is { } usual && usual <= rules.MaxUsualUnknownShare)
            {
                (u.Unknown ??= []).Add(key);
                if (u.Unknown.Count >= rules.UnknownSubjectsPerDay)
                {
                    into.Add(Findings.OnUser(c, RuleIds.PostLoanAbuse, Severity.High,
                        Phrase.Of("POST_LOAN_ABUSE.unknown", e.UserId, u.Unknown.Count, c.DayKey, e.BranchId, e.SubjectId, c.LocalText, Findings.Pct(usual), rules.UnknownSubjectsPerDay),
                        Alerts.Scoring.OfRatio(u.Unknown.Count, rules.UnknownSubjectsPerDay)));
                }
            }
        }

        if (u.HistoryDays < rules.ShareHistoryDays) return;
        var share = (double)u.PostLoan / u.Total;
        var shareThreshold = Math.Max(rules.ShareMin, rules.ShareFactor * u.UsualShare);
        // A count, unlike a share, grows with the day: its threshold does too when the user's peers are busier than usual.
        var peers = e.PeerFactor;
        var countThreshold = (int)Math.Ceiling(Math.Max(rules.CountMin, rules.CountFactor * u.UsualCount) * peers);
        if (u.Total >= rules.ShareMinQueries && share >= shareThreshold)
        {
            into.Add(Findings.OnUser(c, RuleIds.PostLoanAbuse, Severity.Medium,
                Phrase.Of("POST_LOAN_ABUSE.share", e.UserId, u.PostLoan, u.Total, c.DayKey, Findings.Pct(share), Findings.Pct(u.UsualShare), Findings.Pct(shareThreshold)),
                Alerts.Scoring.OfRatio(share, shareThreshold)));
        }
        else if (u.PostLoan >= countThreshold)
        {
            into.Add(Findings.OnUser(c, RuleIds.PostLoanAbuse, Severity.Medium,
                peers > 1
                    ? Phrase.Of("POST_LOAN_ABUSE.countBusy", e.UserId, u.PostLoan, c.DayKey, u.UsualCount.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture), countThreshold,
                        peers.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture))
                    : Phrase.Of("POST_LOAN_ABUSE.count", e.UserId, u.PostLoan, c.DayKey, u.UsualCount.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture), countThreshold),
                Alerts.Scoring.OfRatio(u.PostLoan, countThreshold)));
        }
    }

    /// <summary>
    /// POST_LOAN_CUMULATIVE (low and slow): the user's distinct unknown post-loan subjects over the rolling window against
    /// what the branch's usual unknown share predicts for the user's post-loan reads in it; judged at each new unknown
    /// subject, so it is raised at the read that crosses it, and again only after <c>repeatDays</c> or at twice the count.
    /// </summary>
    private static void Cumulative(in EventContext c, PostLoanUserDay u, int day, double usualShare, List<Finding> into)
    {
        var rules = c.Policy.Rules.PostLoanCumulative;
        var (judged, unknown) = u.Over(day, rules.WindowDays);
        var expected = judged * usualShare;
        var z = Behaviour.Tails.PoissonZ(unknown, Math.Max(expected, 0.5) * 1.5);
        if (unknown < rules.MinSubjects || unknown < rules.Factor * expected || z < rules.Deviation) return;
        if (u.Raised.Day > day - rules.RepeatDays && unknown < 2 * u.Raised.Count) return; // the same standing condition, already raised
        u.Raised = (day, unknown);
        var e = c.Event;
        into.Add(Findings.OnUser(c, RuleIds.PostLoanCumulative, Severity.High,
            Phrase.Of(RuleIds.PostLoanCumulative, e.UserId, unknown, rules.WindowDays, e.BranchId, e.SubjectId, c.LocalText, judged, Findings.Pct(usualShare),
                expected.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture), rules.MinSubjects, rules.Factor.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)),
            Alerts.Scoring.OfRatio(unknown, Math.Max(rules.MinSubjects, rules.Factor * expected))));
    }

    /// <summary>
    /// The share of unknown subjects among the branch's judged post-loan queries before today, once there are enough;
    /// <paramref name="without"/> leaves one user's own reads of those days out (its own unknown subjects must not become
    /// its branch's usual).
    /// </summary>
    private double? UsualUnknownShare(int todaySlot, (int Judged, int Unknown) without = default)
    {
        int judged = 0, unknown = 0;
        for (var i = 0; i < BaselineDays; i++)
        {
            if (i == todaySlot) continue;
            judged += _baseline[i].Judged;
            unknown += _baseline[i].Unknown;
        }
        judged -= without.Judged;
        unknown = Math.Max(0, unknown - without.Unknown);
        return judged >= 30 ? (double)unknown / judged : null;
    }

    private bool IsKnown(ulong key)
    {
        foreach (var set in _known.Values)
            if (set.Contains(key)) return true;
        return false;
    }

    private void Roll(int day, int memoryDays)
    {
        for (var d = Math.Max(_today + 1, day - BaselineDays + 1); d <= day; d++) _baseline[d % BaselineDays] = (0, 0);
        _today = day;
        var oldest = (day - memoryDays) / BucketDays;
        foreach (var b in _known.Keys.Where(b => b < oldest).ToList()) _known.Remove(b);
        foreach (var id in _users.Where(kv => day - kv.Value.Day > 60).Select(kv => kv.Key).ToList()) _users.Remove(id);
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(PostLoanWatch));
        w.Write(_known, static (w, b) => w.Write(b), static (w, set) => w.Write(set, static (w, k) => w.WriteKey(k)));
        w.Write(_users, static (w, id) => w.Write(id), static (w, u) => u.Save(w));
        w.Write(_baseline, static (w, b) =>
        {
            w.Write(b.Judged);
            w.Write(b.Unknown);
        });
        w.Write(_firstDay);
        w.Write(_today);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(PostLoanWatch));
        _known.Clear();
        r.ReadInto(_known, static r => r.ReadInt(), static r => [.. r.ReadList(static r => r.ReadKey())]);
        _users.Clear();
        r.ReadInto(_users, static r => r.ReadString(), static r =>
        {
            var u = new PostLoanUserDay();
            u.Restore(r);
            return u;
        });
        r.ReadArray(_baseline, static r => (r.ReadInt(), r.ReadInt()));
        _firstDay = r.ReadInt();
        _today = r.ReadInt();
    }
}
