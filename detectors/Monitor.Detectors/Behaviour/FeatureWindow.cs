using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Rules;

namespace Monitor.Detectors.Behaviour;

/// <summary>
/// One entity's running day window: counters reused day after day (no allocation once warm). Shares are of
/// the reports read that day (successful queries); the failure rate is of all query attempts.
/// </summary>
public sealed class FeatureWindow : IDurableState
{
    private readonly HashSet<ulong> _subjects = [];
    private readonly List<string> _terminals = new(2);
    private readonly HashSet<string>? _users;
    private int _attempts, _failed, _offHours, _postLoan, _approval, _self, _other, _foreign, _enterprise, _repeats;

    /// <param name="countUsers">Whether the window counts distinct users (branch windows do; a user's is always 1).</param>
    public FeatureWindow(bool countUsers) => _users = countUsers ? new HashSet<string>(StringComparer.Ordinal) : null;

    /// <summary>The window's local day as a day number; <see cref="int.MinValue"/> before the first event.</summary>
    public int Day { get; private set; } = int.MinValue;
    public bool Working { get; private set; }
    public string DayKey { get; private set; } = "";

    /// <summary>When the window's local day ends.</summary>
    public DateTimeOffset Ends { get; private set; }
    public int Reports { get; private set; }
    public int Attempts => _attempts;
    public string LastEventId { get; private set; } = "";
    public bool IsEmpty => _attempts == 0;

    public void Start(in EventContext c)
    {
        Day = Findings.DayNumber(c.Day);
        DayKey = c.DayKey;
        Working = c.Calendar.IsWorkingDay(c.Day);
        Ends = c.Policy.Zone.AtStartOfDay(c.Day.PlusDays(1)).ToDateTimeOffset();
        Reports = _attempts = _failed = _offHours = _postLoan = _approval = _self = _other = _foreign = _enterprise = _repeats = 0;
        _subjects.Clear();
        _terminals.Clear();
        _users?.Clear();
    }

    /// <summary>Counts a query event of the window's day (the coordinator has marked whether its subject was first read at a branch outside the querying branch's line).</summary>
    public void Add(in EventContext c)
    {
        var e = c.Event;
        _attempts++;
        LastEventId = e.EventId;
        if (!e.IsSuccessfulQuery)
        {
            _failed++;
            return;
        }
        Reports++;
        if (e.SubjectKey != 0 && !_subjects.Add(e.SubjectKey)) _repeats++;
        if (e.SubjectFirstSeenElsewhere) _foreign++;
        if (e.SubjectType == SubjectType.Enterprise) _enterprise++;
        if (!c.InWorkingHours) _offHours++;
        switch (e.Purpose)
        {
            case Purpose.PostLoanManagement: _postLoan++; break;
            case Purpose.LoanApproval or Purpose.CreditCardApproval: _approval++; break;
            case Purpose.SelfQuery: _self++; break;
            default: _other++; break;
        }
        if (e.TerminalId is { } t && _terminals.Count < 16 && !_terminals.Contains(t)) _terminals.Add(t);
        _users?.Add(e.UserId);
    }

    /// <summary>The open day and every counter of it; whether distinct users are counted is the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("FeatureWindow");
        w.Write(Day);
        w.Write(Working);
        w.Write(DayKey);
        w.Write(Ends);
        w.Write(Reports);
        w.Write(LastEventId);
        foreach (var n in (int[])[_attempts, _failed, _offHours, _postLoan, _approval, _self, _other, _foreign, _enterprise, _repeats]) w.Write(n);
        w.Write(_subjects, (w, k) => w.Write(unchecked((long)k)));
        w.Write(_terminals, (w, t) => w.Write(t));
        w.Write(_users is not null);
        if (_users is not null) w.Write(_users, (w, u) => w.Write(u));
    }

    public void Restore(StateReader r)
    {
        r.Section("FeatureWindow");
        Day = r.ReadInt();
        Working = r.ReadBool();
        DayKey = r.ReadString();
        Ends = r.ReadTime();
        Reports = r.ReadInt();
        LastEventId = r.ReadString();
        _attempts = r.ReadInt();
        _failed = r.ReadInt();
        _offHours = r.ReadInt();
        _postLoan = r.ReadInt();
        _approval = r.ReadInt();
        _self = r.ReadInt();
        _other = r.ReadInt();
        _foreign = r.ReadInt();
        _enterprise = r.ReadInt();
        _repeats = r.ReadInt();
        _subjects.Clear();
        foreach (var k in r.ReadList(r => unchecked((ulong)r.ReadLong()))) _subjects.Add(k);
        _terminals.Clear();
        _terminals.AddRange(r.ReadList(r => r.ReadString()));
        _users?.Clear();
        if (r.ReadBool())
        {
            var users = r.ReadList(r => r.ReadString());
            _users?.UnionWith(users); // read into a window that does not count users (never in practice): dropped
        }
    }

    /// <summary>The window as a feature vector (see <see cref="BehaviourFeatures"/>).</summary>
    public float[] Vector()
    {
        var v = new float[BehaviourFeatures.Count];
        double n = Math.Max(1, Reports);
        v[BehaviourFeatures.Queries] = (float)Math.Log(1 + Reports);
        v[BehaviourFeatures.RepeatShare] = (float)(_repeats / n);
        v[BehaviourFeatures.OffHoursShare] = (float)(_offHours / n);
        v[BehaviourFeatures.PostLoanShare] = (float)(_postLoan / n);
        v[BehaviourFeatures.ApprovalShare] = (float)(_approval / n);
        v[BehaviourFeatures.SelfQueryShare] = (float)(_self / n);
        v[BehaviourFeatures.OtherPurposeShare] = (float)(_other / n);
        v[BehaviourFeatures.FailureRate] = (float)(_failed / (double)Math.Max(1, _attempts));
        v[BehaviourFeatures.Terminals] = _terminals.Count;
        v[BehaviourFeatures.ForeignSubjectShare] = (float)(_foreign / n);
        v[BehaviourFeatures.EnterpriseShare] = (float)(_enterprise / n);
        v[BehaviourFeatures.ActiveUsers] = _users?.Count ?? 1;
        return v;
    }
}
