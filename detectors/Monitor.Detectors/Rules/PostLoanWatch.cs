using Monitor.Contracts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// POST_LOAN_ABUSE, kept by a branch (管理办法 §3, §13: post-loan management needs no authorization, which makes
/// it the purpose to hide behind). Two signs, both judged on the branch's own users:
/// <list type="bullet">
/// <item>post-loan queries on subjects for which the branch (with the branches below it) has no earlier
/// authorized query: a loan the branch never approved has no post-loan management. Judged once the branch has
/// been watched <c>warmupDays</c>, and raised from <c>unknownSubjectsPerDay</c> such subjects a user-day;</item>
/// <item>a user's post-loan share of the day jumping far above its own usual share.</item>
/// </list>
/// Known subjects are held as 64-bit keys in 30-day buckets, dropped after <c>memoryDays</c>.
/// </summary>
public sealed class PostLoanWatch
{
    private const int BucketDays = 30;
    private const int ShareHistory = 10;
    private readonly Dictionary<int, HashSet<ulong>> _known = [];
    private readonly Dictionary<string, UserDay> _users = new(StringComparer.Ordinal);
    private int _firstDay = int.MinValue;
    private int _today = int.MinValue;

    public int KnownSubjects => _known.Values.Sum(b => b.Count);

    public void Observe(in EventContext c, bool ownUser, List<Finding> into)
    {
        var e = c.Event;
        var rules = c.Policy.Rules.PostLoan;
        var day = Findings.DayNumber(c.Day);
        if (_firstDay == int.MinValue) _firstDay = day;
        if (day > _today) Roll(day, rules.MemoryDays);
        var key = string.IsNullOrEmpty(e.SubjectId) ? 0 : Findings.SubjectKey(e.SubjectId);
        var postLoan = e.Purpose == Purpose.PostLoanManagement;
        if (key != 0 && !postLoan && !string.IsNullOrWhiteSpace(e.AuthorizationId))
        {
            var bucket = day / BucketDays;
            if (!_known.TryGetValue(bucket, out var set)) _known[bucket] = set = [];
            set.Add(key);
        }
        if (!ownUser) return;

        if (!_users.TryGetValue(e.UserId, out var u)) _users[e.UserId] = u = new UserDay();
        u.Roll(day);
        u.Total++;
        if (!postLoan) return;
        u.PostLoan++;

        if (key != 0 && day - _firstDay >= rules.WarmupDays && !IsKnown(key))
        {
            (u.Unknown ??= []).Add(key);
            if (u.Unknown.Count >= rules.UnknownSubjectsPerDay)
            {
                into.Add(Findings.OnUser(c, RuleIds.PostLoanAbuse, Severity.High,
                    $"user {e.UserId} read {u.Unknown.Count} credit reports on {c.DayKey} under post_loan_management for subjects branch {e.BranchId} "
                    + $"has no earlier authorized query for (latest subject {e.SubjectId} at {c.LocalText}); post-loan management presumes a loan the branch approved "
                    + $"(threshold {rules.UnknownSubjectsPerDay} a day)", Alerts.Scoring.OfRatio(u.Unknown.Count, rules.UnknownSubjectsPerDay)));
            }
        }

        if (u.Total >= rules.ShareMinQueries && u.HistoryDays >= rules.ShareHistoryDays)
        {
            var usual = u.UsualShare;
            var share = (double)u.PostLoan / u.Total;
            var threshold = Math.Max(rules.ShareMin, rules.ShareFactor * usual);
            if (share >= threshold)
            {
                into.Add(Findings.OnUser(c, RuleIds.PostLoanAbuse, Severity.Medium,
                    $"user {e.UserId} used post_loan_management for {u.PostLoan} of its {u.Total} queries on {c.DayKey} ({share:P0}); "
                    + $"its usual share is {usual:P0} (threshold {threshold:P0})", Alerts.Scoring.OfRatio(share, threshold)));
            }
        }
    }

    private bool IsKnown(ulong key)
    {
        foreach (var set in _known.Values)
            if (set.Contains(key)) return true;
        return false;
    }

    private void Roll(int day, int memoryDays)
    {
        _today = day;
        var oldest = (day - memoryDays) / BucketDays;
        foreach (var b in _known.Keys.Where(b => b < oldest).ToList()) _known.Remove(b);
        foreach (var id in _users.Where(kv => day - kv.Value.Day > 60).Select(kv => kv.Key).ToList()) _users.Remove(id);
    }

    private sealed class UserDay
    {
        private readonly double[] _shares = new double[ShareHistory];
        private int _next;

        public int Day { get; private set; } = int.MinValue;
        public int Total { get; set; }
        public int PostLoan { get; set; }
        public HashSet<ulong>? Unknown { get; set; }
        public int HistoryDays { get; private set; }
        public double UsualShare => HistoryDays == 0 ? 0 : _shares.Take(HistoryDays).Average();

        public void Roll(int day)
        {
            if (day <= Day) return;
            if (Total >= 5)
            {
                _shares[_next] = (double)PostLoan / Total;
                _next = (_next + 1) % ShareHistory;
                HistoryDays = Math.Min(ShareHistory, HistoryDays + 1);
            }
            Day = day;
            Total = 0;
            PostLoan = 0;
            Unknown = null;
        }
    }
}
