using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Calendar;
using NodaTime;

namespace Monitor.Detectors.Peers;

/// <summary>
/// How busy the bank and each branch are, day by day, as the coordinator's <see cref="Pipeline.BatchPlanner"/> routes the
/// reads (issue 18). Entities are separate actors and none sees its peers; this one place sees every delivered report in
/// stream order, so what it says depends only on the stream, never on batches or actors (a replay gives the live run's
/// factors). For each read it gives the factors the read's user and branch are judged with as the day goes on: their
/// peers' reads so far against what the peers usually have by that hour (<see cref="UsualCurve"/>), the entity left out,
/// pulled towards the day's expected factor (declared in the calendar or learned, <see cref="LearnedPeaks"/>) while the
/// count is thin. At a day's end it keeps the day's course as history and learns the factor of its kind of peak.
/// </summary>
public sealed class PeerDays : IDurableState
{
    /// <summary>Factors this close to 1 are ordinary noise and stamped as 1 (an event is copied only for a real peak).</summary>
    public const double DeadZone = 1.1;

    private readonly Dictionary<int, OpenDay> _open = [];
    private readonly UsualCurve _bank = new();
    private readonly Dictionary<string, UsualCurve> _branches = new(StringComparer.Ordinal);
    private readonly LearnedPeaks _learned = new();
    private WorkCalendar _calendar;

    public PeerDays(WorkCalendar calendar) => _calendar = calendar;

    /// <summary>The calendar of the settings in force (declared peaks, holidays) for days opened from now on.</summary>
    public void UseCalendar(WorkCalendar calendar) => _calendar = calendar;

    /// <summary>
    /// Counts a delivered report of local day <paramref name="day"/> (which began at <paramref name="dayStart"/>) and
    /// returns the factors its user and its branch are judged with at this moment (1 on an ordinary day), and how far the
    /// rest of the user's branch is above the rest of the bank (the branch's surge, 1 when not).
    /// </summary>
    public (double User, double Branch, double Surge) Observe(QueryLogEvent e, int day, DateTimeOffset dayStart)
    {
        var open = Open(day);
        var hour = Math.Clamp((e.OccurredAt - dayStart).TotalHours, 0, 23.9999);
        var h = (int)hour;
        open.Bank[h]++;
        open.BankReads++;
        if (!open.Branches.TryGetValue(e.BranchId, out var branch)) open.Branches[e.BranchId] = branch = new BranchDay();
        branch.PerHour[h]++;
        branch.Reads++;
        var own = branch.Users[e.UserId] = branch.Users.GetValueOrDefault(e.UserId) + 1;
        if (own == 1) open.Users++;

        var bank = new PeerCount(open.BankReads, _bank.At(open.Working, hour), open.Users);
        var usual = _branches.TryGetValue(e.BranchId, out var curve) ? curve.At(open.Working, hour) : double.NaN;
        var peers = new PeerCount(branch.Reads, usual, branch.Users.Count);
        var inBranch = PeerFactors.LeaveOut(peers, own, peers.Usual / Math.Max(1, peers.Users), open.Prior);
        var user = Math.Max(PeerFactors.LeaveOut(bank, own, bank.Usual / Math.Max(1, bank.Users), open.Prior), inBranch);
        var forBranch = PeerFactors.Clamp(PeerFactors.LeaveOut(bank, branch.Reads, peers.Known ? peers.Usual : 0, open.Prior));
        var surge = peers.Known ? Math.Max(1, inBranch) / forBranch : 1;
        return (Stamp(user), Stamp(forBranch), surge < DeadZone ? 1 : surge);
    }

    private static double Stamp(double factor)
    {
        var f = PeerFactors.Clamp(factor);
        return f < DeadZone ? 1 : f;
    }

    /// <summary>
    /// Closes every open day through <paramref name="throughDay"/>: keeps the day's course as history (a calendar peak
    /// divided by the bank's factor, so it stands for an ordinary day) and learns the factor of its kind of peak.
    /// </summary>
    public void Close(int throughDay)
    {
        foreach (var day in _open.Keys.Where(d => d <= throughDay).Order().ToList())
        {
            var open = _open[day];
            _open.Remove(day);
            var bank = new PeerCount(open.BankReads, _bank.At(open.Working, 24), open.Users);
            var measured = bank.Known ? bank.Reads / bank.Usual : double.NaN;
            var peak = open.Kinds != 0 || open.Declared > 1;
            if (open.Kinds != 0 && bank.Reads >= 100) _learned.Record(open.Kinds, measured);
            var divideBy = peak && measured > 1 ? measured : 1; // a calendar peak is kept as the ordinary day it stands for
            _bank.Add(open.Working, open.Bank, divideBy);
            foreach (var (id, b) in open.Branches)
            {
                if (!_branches.TryGetValue(id, out var curve)) _branches[id] = curve = new UsualCurve();
                curve.Add(open.Working, b.PerHour, divideBy);
            }
        }
    }

    private OpenDay Open(int day)
    {
        if (_open.TryGetValue(day, out var open)) return open;
        var date = LocalDate.FromDateOnly(DateOnly.FromDayNumber(day));
        _open[day] = open = new OpenDay
        {
            Working = _calendar.IsWorkingDay(date),
            Kinds = _calendar.PeakKinds(date),
            Declared = _calendar.DeclaredPeak(date),
            Prior = _learned.Prior(_calendar, date),
        };
        return open;
    }

    /// <summary>
    /// The open days (their counts per hour, per branch and per user, and what was expected of them), the usual
    /// courses of the bank and of every branch, the learned peak factors; the calendar is the settings'.
    /// </summary>
    public void Save(StateWriter w)
    {
        w.Section(nameof(PeerDays));
        w.Write(_open, static (w, d) => w.Write(d), static (w, o) => o.Save(w));
        _bank.Save(w);
        w.Write(_branches, static (w, id) => w.Write(id), static (w, c) => c.Save(w));
        _learned.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(PeerDays));
        _open.Clear();
        r.ReadInto(_open, static r => r.ReadInt(), OpenDay.Read);
        _bank.Restore(r);
        _branches.Clear();
        r.ReadInto(_branches, static r => r.ReadString(), static r =>
        {
            var c = new UsualCurve();
            c.Restore(r);
            return c;
        });
        _learned.Restore(r);
    }

    /// <summary>One open day: the bank's reads per hour, each branch's, each user's count, and the calendar's view of it.</summary>
    private sealed class OpenDay
    {
        public int[] Bank { get; private init; } = new int[24];
        public int BankReads { get; set; }
        public int Users { get; set; }
        public Dictionary<string, BranchDay> Branches { get; } = new(StringComparer.Ordinal);
        public bool Working { get; init; }
        public int Kinds { get; init; }
        public double Declared { get; init; }
        public double Prior { get; init; }

        public void Save(StateWriter w)
        {
            w.Write(Bank, static (w, n) => w.Write(n));
            w.Write(BankReads);
            w.Write(Users);
            w.Write(Branches, static (w, id) => w.Write(id), static (w, b) =>
            {
                w.Write(b.PerHour, static (w, n) => w.Write(n));
                w.Write(b.Reads);
                w.Write(b.Users, static (w, u) => w.Write(u), static (w, n) => w.Write(n));
            });
            w.Write(Working);
            w.Write(Kinds);
            w.Write(Declared);
            w.Write(Prior);
        }

        public static OpenDay Read(StateReader r)
        {
            var bank = r.ReadList(static r => r.ReadInt());
            var reads = r.ReadInt();
            var users = r.ReadInt();
            var branches = new Dictionary<string, BranchDay>(StringComparer.Ordinal);
            r.ReadInto(branches, static r => r.ReadString(), static r =>
            {
                var b = new BranchDay();
                var perHour = r.ReadList(static r => r.ReadInt());
                if (perHour.Count != 24) throw new StateFormatException($"a branch day of {perHour.Count} hours");
                perHour.CopyTo(b.PerHour);
                b.Reads = r.ReadInt();
                r.ReadInto(b.Users, static r => r.ReadString(), static r => r.ReadInt());
                return b;
            });
            if (bank.Count != 24) throw new StateFormatException($"a bank day of {bank.Count} hours");
            var open = new OpenDay { Bank = [.. bank], Working = r.ReadBool(), Kinds = r.ReadInt(), Declared = r.ReadDouble(), Prior = r.ReadDouble() };
            open.BankReads = reads;
            open.Users = users;
            foreach (var (id, b) in branches) open.Branches[id] = b;
            return open;
        }
    }

    private sealed class BranchDay
    {
        public int[] PerHour { get; } = new int[24];
        public int Reads { get; set; }
        public Dictionary<string, int> Users { get; } = new(StringComparer.Ordinal);
    }
}
