using Bogus;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>Ordinary traffic of one day: what every account does when nothing is wrong.</summary>
/// <remarks>Its event ids come from <paramref name="ids"/> (the simulator's main sequence when left out), so incidents added later can draw from a generator and a numbering of their own.</remarks>
internal sealed class TrafficGenerator(BankSimulator sim, Randomizer r, Func<string>? ids = null)
{
    private readonly Func<string> _ids = ids ?? sim.NextEventId;
    private const int PoolSize = 3000;
    private const int RecentSize = 200;
    private readonly Dictionary<string, List<string>> _pools = [];
    private readonly Dictionary<string, List<string>> _recent = [];
    private readonly Dictionary<string, int> _lastPasswordChange = [];
    private readonly Dictionary<string, string?> _parents = sim.Bank.Branches.ToDictionary(b => b.BranchId, b => b.ParentBranchId);

    private static readonly (Purpose Purpose, double Weight)[] OperatorMix =
    [
        (Purpose.LoanApproval, 0.34), (Purpose.CreditCardApproval, 0.24), (Purpose.PostLoanManagement, 0.18),
        (Purpose.GuarantorReview, 0.09), (Purpose.CorporateOfficerReview, 0.06), (Purpose.MerchantVerification, 0.05),
        (Purpose.LegalAuthority, 0.01), (Purpose.SelfQuery, 0.03),
    ];

    private static readonly LocalTime DayStart = new(8, 40);
    private static readonly LocalTime DayEnd = new(17, 20);

    private int _day;

    public void Day(LocalDate date, int dayIndex, bool working, List<QueryLogEvent> into)
    {
        _day = dayIndex;
        foreach (var u in sim.Bank.Users)
        {
            if (sim.IsSilenced(u.UserId, dayIndex)) continue;
            var last = _lastPasswordChange.TryGetValue(u.UserId, out var l) ? l : -StableBucket(u.UserId, 45);
            var passwordDue = working && dayIndex - last >= 45 && !sim.KeepsPassword(u.UserId);
            var volume = u.DailyQueries * sim.VolumeFactor(u, dayIndex); // exactly the daily volume without peaks and hires
            if (passwordDue) _lastPasswordChange[u.UserId] = dayIndex;
            switch (u.Channel)
            {
                case Channel.SelfServiceKiosk:
                    Queries(u, date, Poisson(volume * (working ? 1 : 0.5)), new LocalTime(9, 0), new LocalTime(16, 50), into);
                    break;
                case Channel.Batch when working:
                    Queries(u, date, Poisson(volume), new LocalTime(1, 0), new LocalTime(3, 0), into);
                    break;
                case Channel.Counter when working:
                    var login = RandomTime(date, new LocalTime(8, 20), new LocalTime(8, 39));
                    if (r.Double() < 0.03) into.Add(Login(u, login.AddSeconds(-40), Outcome.Failed));
                    into.Add(Login(u, login, Outcome.Success));
                    if (passwordDue) into.Add(Account(u, login.AddMinutes(1), AccountAction.PasswordChanged));
                    Queries(u, date, Poisson(volume), DayStart, DayEnd, into);
                    break;
            }
        }
    }

    public void Queries(SimUser u, LocalDate date, int count, LocalTime from, LocalTime to, List<QueryLogEvent> into)
    {
        for (var i = 0; i < count; i++) into.Add(Query(u, RandomTime(date, from, to)));
    }

    public QueryLogEvent Query(SimUser u, DateTimeOffset at, Purpose? purpose = null, bool authorize = true, TimeSpan? signedAfter = null, string? subject = null)
    {
        if (purpose is null && subject is null && sim.Shifts.TryGetValue(u.UserId, out var shift) && shift.On(_day))
        {
            var roll = r.Double();
            if (roll < shift.PostLoanShare) purpose = Purpose.PostLoanManagement;
            else if (roll < shift.PostLoanShare + shift.ForeignShare && ForeignSubject(shift.ForeignBranch!) is { } foreign)
                (purpose, subject) = (Purpose.LoanApproval, foreign);
        }
        var p = purpose ?? PurposeFor(u);
        var needsAuth = Purposes.RequiresAuthorization(p);
        var outcomeRoll = r.Double();
        var outcome = outcomeRoll < 0.985 ? Outcome.Success : outcomeRoll < 0.995 ? Outcome.Failed : Outcome.Denied;
        DateTimeOffset? signed = needsAuth && authorize
            ? signedAfter is { } after ? at + after : at - TimeSpan.FromMinutes(r.Double(10, 5 * 24 * 60))
            : null;
        subject ??= SubjectFor(u, p);
        if (signed is not null && p != Purpose.PostLoanManagement) Remember(u, subject);
        Recent(u).Add(subject);
        if (Recent(u).Count > RecentSize) Recent(u).RemoveAt(0);
        return new QueryLogEvent
        {
            EventId = _ids(),
            Type = EventType.Query,
            OccurredAt = at,
            UserId = u.UserId,
            EmployeeId = u.EmployeeId,
            UserRole = u.Role,
            BranchId = u.BranchId,
            ParentBranchId = u.ParentBranchId,
            TerminalId = u.TerminalId,
            Ip = u.Ip,
            Channel = u.Channel,
            SubjectId = subject,
            SubjectType = p is Purpose.CorporateOfficerReview or Purpose.MerchantVerification ? SubjectType.Enterprise : SubjectType.Individual,
            Purpose = p,
            AuthorizationId = signed is null ? null : sim.NextAuthorizationId(),
            AuthorizedAt = signed,
            Outcome = outcome,
        };
    }

    /// <summary>A customer of another branch (one it read with an authorization), or null while it has few.</summary>
    private string? ForeignSubject(string branchId) =>
        _pools.TryGetValue(branchId, out var pool) && pool.Count >= 100 ? pool[r.Number(0, pool.Count - 1)] : null;

    /// <summary>A fresh subject nobody has queried.</summary>
    public string NewSubject() => "s" + r.Hash(24);

    /// <summary>Subjects the user read lately, newest last.</summary>
    public List<string> Recent(SimUser u)
    {
        if (!_recent.TryGetValue(u.UserId, out var list)) _recent[u.UserId] = list = new List<string>(RecentSize + 1);
        return list;
    }

    public QueryLogEvent Login(SimUser u, DateTimeOffset at, Outcome outcome) => new()
    {
        EventId = _ids(), Type = EventType.Login, OccurredAt = at, UserId = u.UserId, EmployeeId = u.EmployeeId,
        UserRole = u.Role, BranchId = u.BranchId, ParentBranchId = u.ParentBranchId, TerminalId = u.TerminalId, Ip = u.Ip,
        Channel = u.Channel, Outcome = outcome,
    };

    public QueryLogEvent Account(SimUser u, DateTimeOffset at, AccountAction action, string? actor = null) => new()
    {
        EventId = _ids(), Type = EventType.Account, OccurredAt = at, UserId = u.UserId, EmployeeId = u.EmployeeId,
        UserRole = u.Role, BranchId = u.BranchId, ParentBranchId = u.ParentBranchId, TerminalId = u.TerminalId, Ip = u.Ip,
        Action = action, ActorUserId = actor ?? u.UserId, Outcome = Outcome.Success,
    };

    /// <summary>
    /// Post-loan queries concern the branch's customers (subjects its subtree queried with an authorization);
    /// now and then a user reads a subject it read lately again (a re-check); otherwise a new subject.
    /// </summary>
    private string SubjectFor(SimUser u, Purpose p)
    {
        if (p == Purpose.PostLoanManagement && _pools.TryGetValue(u.BranchId, out var pool) && pool.Count >= 500) return pool[r.Number(0, pool.Count - 1)];
        var recent = Recent(u);
        if (p != Purpose.SelfQuery && recent.Count > 60 && r.Double() < 0.02) return recent[r.Number(recent.Count - 60, recent.Count - 1)];
        return NewSubject();
    }

    private void Remember(SimUser u, string subject)
    {
        for (string? b = u.BranchId; b is not null; b = _parents.GetValueOrDefault(b))
        {
            if (!_pools.TryGetValue(b, out var pool)) _pools[b] = pool = new List<string>(PoolSize);
            if (pool.Count < PoolSize) pool.Add(subject);
            else pool[r.Number(0, PoolSize - 1)] = subject;
        }
    }

    public DateTimeOffset RandomTime(LocalDate date, LocalTime from, LocalTime to)
    {
        var span = Period.Between(from, to, PeriodUnits.Seconds).Seconds;
        return sim.At(date, from.PlusSeconds(r.Long(0, Math.Max(0, span - 1)))).AddMilliseconds(r.Number(0, 999));
    }

    private Purpose PurposeFor(SimUser u)
    {
        if (u.Channel == Channel.SelfServiceKiosk) return Purpose.SelfQuery;
        if (u.Channel == Channel.Batch) return Purpose.PostLoanManagement;
        if (u.Role == UserRole.DisputeHandler) return Purpose.DisputeHandling;
        if (u.Role == UserRole.WindowQuery) return r.Double() < 0.6 ? Purpose.SelfQuery : Purpose.CreditCardApproval;
        var x = r.Double();
        foreach (var (purpose, weight) in OperatorMix)
        {
            if (x < weight) return purpose;
            x -= weight;
        }
        return Purpose.LoanApproval;
    }

    private static int StableBucket(string text, int buckets)
    {
        var h = 0u;
        foreach (var ch in text) h = unchecked((h * 31) + ch);
        return (int)(h % (uint)buckets);
    }

    public int Poisson(double lambda)
    {
        if (lambda <= 0) return 0;
        if (lambda > 60) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Gaussian()));
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= r.Double();
        } while (p > l);
        return k - 1;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - r.Double())) * Math.Cos(2 * Math.PI * r.Double());
}
