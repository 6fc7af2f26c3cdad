using Bogus;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// The ordinary life of the register and HR feeds (<see cref="SimulationOptions.Feeds"/>): an approval-register entry
/// for each query whose purpose needs one (post-loan management's in its own register, 管理办法 §13), approved a little
/// before the read;
/// now and then a joiner; a few leavers and a transfer whose accounts their administrator disables a day or two
/// later; administrators resetting a forgotten password during working hours. Draws from a generator of its own and
/// numbers its events apart, so the rest of the stream stays as it is for a seed.
/// </summary>
internal sealed class FeedTraffic(BankSimulator sim, Randomizer r)
{
    private static readonly HashSet<Purpose> Registered =
        [Purpose.LoanApproval, Purpose.CreditCardApproval, Purpose.GuarantorReview, Purpose.MerchantVerification, Purpose.CorporateOfficerReview, Purpose.DisputeHandling,
         Purpose.PostLoanManagement];

    private readonly Dictionary<int, List<Action<TrafficGenerator, List<QueryLogEvent>>>> _byDay = [];
    private long _registerSeq;
    private long _laterRegisterSeq;

    /// <summary>Accounts the incidents touch: the feeds' everyday changes leave them alone (a reset password would hide PASSWORD_AGE).</summary>
    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads an incident leaves out of the register on purpose.</summary>
    public HashSet<string> Unregistered { get; } = new(StringComparer.Ordinal);

    /// <summary>Plans the ordinary joiners, leavers and transfer among <paramref name="free"/> (accounts no incident touches), which it takes.</summary>
    public void Plan(List<SimUser> free, int days)
    {
        var working = Enumerable.Range(2, Math.Max(0, days - 5)).Where(sim.IsWorkingDay).ToList();
        if (working.Count == 0) return;
        for (var d = 3; d < days; d += 5)
        {
            var joined = d;
            At(joined, (_, into) => into.Add(Hr($"E9{joined:D5}", StaffAction.Joined, sim.Bank.Branches[r.Number(1, sim.Bank.Branches.Count - 1)].BranchId, joined, new LocalTime(9, 0))));
        }
        for (var i = 0; i < 3 && free.Count > 0; i++)
        {
            var user = free[^1];
            free.RemoveAt(free.Count - 1);
            var day = working[r.Number(0, working.Count - 1)];
            var transfer = i == 2;
            var to = transfer ? sim.Bank.Branches.First(b => b.Level == 2 && b.BranchId != user.BranchId).BranchId : user.BranchId;
            sim.Silence(user.UserId, day + 1);
            At(day, (_, into) => into.Add(Hr(user.EmployeeId, transfer ? StaffAction.Transferred : StaffAction.Left, to, day, new LocalTime(17, 30))));
            var disableOn = NextWorkingDay(day + r.Number(0, 1));
            At(disableOn, (t, into) => into.Add(t.Account(user, t.RandomTime(sim.DateOf(disableOn), new LocalTime(9, 30), new LocalTime(11, 30)), AccountAction.Disabled, AdminOf(user.BranchId).UserId)));
        }
    }

    /// <summary>The day's ordinary feed events, then a register entry for every read of the day that needs one.</summary>
    public void Day(int day, TrafficGenerator t, List<QueryLogEvent> into)
    {
        foreach (var generate in _byDay.GetValueOrDefault(day) ?? []) generate(t, into);
        if (sim.IsWorkingDay(day)) PasswordResets(day, t, into);
        // Reads of the kinds added later (their own ids) register themselves (RegisterLater), so this generator's draws stay as they were.
        var reads = into.Where(e => e.IsQuery && e.Purpose is { } p && Registered.Contains(p) && !Unregistered.Contains(e.EventId) && !sim.IsLaterEvent(e.EventId)).ToList();
        foreach (var q in reads) into.Add(Entry(q));
    }

    /// <summary>A register entry for a read of a kind added later, from that kind's own generator and numbering.</summary>
    public QueryLogEvent RegisterLater(QueryLogEvent read, Randomizer random)
    {
        var approved = read.OccurredAt.AddMinutes(-random.Double(2, 90));
        return new QueryLogEvent
        {
            EventId = sim.NextLaterEventId(), Type = EventType.Register, OccurredAt = approved.AddMinutes(random.Double(0, 1.5)),
            UserId = read.UserId, BranchId = read.BranchId, ParentBranchId = read.ParentBranchId, SubjectId = read.SubjectId, SubjectType = read.SubjectType,
            Purpose = read.Purpose, RegisterId = $"REG-L{++_laterRegisterSeq:D6}", ApprovedBy = AdminOf(read.BranchId).EmployeeId, ApprovedAt = approved,
        };
    }

    /// <summary>A user administrator now and then resets the password of an operator of its branch who forgot it.</summary>
    private void PasswordResets(int day, TrafficGenerator t, List<QueryLogEvent> into)
    {
        foreach (var admin in sim.Bank.Users.Where(u => u.Role == UserRole.UserAdmin))
        {
            if (r.Double() >= 0.12) continue;
            var own = sim.Bank.Operators.Where(u => u.BranchId == admin.BranchId && !Touched.Contains(u.UserId) && !sim.IsSilenced(u.UserId, day)).ToList();
            if (own.Count == 0) continue;
            var target = own[r.Number(0, own.Count - 1)];
            into.Add(t.Account(target, t.RandomTime(sim.DateOf(day), new LocalTime(9, 0), new LocalTime(16, 30)), AccountAction.PasswordChanged, admin.UserId));
        }
    }

    private QueryLogEvent Entry(QueryLogEvent read)
    {
        var approved = read.OccurredAt.AddMinutes(-r.Double(2, 90));
        return new QueryLogEvent
        {
            EventId = sim.NextFeedEventId(), Type = EventType.Register, OccurredAt = approved.AddMinutes(r.Double(0, 1.5)),
            UserId = read.UserId, BranchId = read.BranchId, ParentBranchId = read.ParentBranchId, SubjectId = read.SubjectId, SubjectType = read.SubjectType,
            Purpose = read.Purpose, RegisterId = $"REG-{++_registerSeq:D7}", ApprovedBy = AdminOf(read.BranchId).EmployeeId, ApprovedAt = approved,
        };
    }

    /// <summary>An HR event recorded at <paramref name="time"/> on day <paramref name="day"/>, effective at that moment.</summary>
    public QueryLogEvent Hr(string employeeId, StaffAction action, string branchId, int day, LocalTime time)
    {
        var at = sim.At(sim.DateOf(day), time);
        return new QueryLogEvent
        {
            EventId = sim.NextFeedEventId(), Type = EventType.Employee, OccurredAt = at.AddMinutes(5), UserId = "", EmployeeId = employeeId,
            BranchId = branchId, StaffAction = action, EffectiveAt = at,
        };
    }

    /// <summary>The user administrator of a branch (or of the branch above it).</summary>
    public SimUser AdminOf(string branchId)
    {
        for (string? b = branchId; b is not null; b = sim.Bank.Branches.First(x => x.BranchId == b).ParentBranchId)
            if (sim.Bank.Users.FirstOrDefault(u => u.BranchId == b && u.Role is UserRole.UserAdmin or UserRole.SuperAdmin) is { } admin) return admin;
        return sim.Bank.Admins.First();
    }

    public void At(int day, Action<TrafficGenerator, List<QueryLogEvent>> generate)
    {
        if (!_byDay.TryGetValue(day, out var list)) _byDay[day] = list = [];
        list.Add(generate);
    }

    private int NextWorkingDay(int day)
    {
        var d = day + 1;
        while (!sim.IsWorkingDay(d) && d < day + 10) d++;
        return d;
    }
}
