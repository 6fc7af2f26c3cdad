using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Decides where each event of a batch goes, so the coordinator actor and the detector tests route alike: it
/// screens a batch (redeliveries and events whose time the guard refuses are taken out), learns the branch
/// hierarchy, marks queries whose subject was first read at another branch's line, and splits the accepted
/// events into per-user, per-branch (the branch chain; failed logins to the own branch), per-employee and
/// per-subject-share parts, with the day that event time has left behind and whom to tell. Pure and durable:
/// everything it remembers between batches is in <see cref="Save"/>.
/// </summary>
public sealed class BatchPlanner : IDurableState
{
    /// <summary>Subjects are spread over this many shares; a subject always lands in the same one.</summary>
    public const int SubjectShares = 16;

    /// <summary>
    /// Days after a leaver's effective time during which their actor hears every day end and every event (LEAVER_ACCOUNT:
    /// its setting of at most 30 working days ends well within this, holidays included).
    /// </summary>
    public const int LeaverWatchDays = 62;

    private readonly EventTimeGuard _guard;
    private readonly EventDeduplicator _dedup;
    private readonly BranchDirectory _directory = new();
    private readonly EmployeeRouting _employees = new();
    private readonly SubjectOrigins _origins = new(TimeSpan.FromDays(45));
    private readonly EventDays _days;
    private readonly Peers.PeerDays _peers;
    private readonly BranchPolicies _policies;
    private readonly List<string> _chain = new(4); // scratch for one event, empty between batches

    public BatchPlanner(DetectionSettings settings)
    {
        _guard = new EventTimeGuard(settings);
        _dedup = new EventDeduplicator(TimeSpan.FromHours(settings.DedupHorizonHours));
        _days = new EventDays(settings.TimeZone, settings.AllowedLateness);
        _policies = new BranchPolicies(settings);
        _peers = new Peers.PeerDays(Calendar.WorkCalendar.Load(settings.CalendarFiles));
    }

    /// <summary>The calendar of the settings in force (a reload): declared peaks and holidays for the days opened from now on.</summary>
    public void UseCalendar(Calendar.WorkCalendar calendar) => _peers.UseCalendar(calendar);

    /// <summary>The redelivery horizon, time guard, branch directory, employee routing, subject origins, open days and peer days, in that order (the coordinator's saved layout).</summary>
    public void Save(StateWriter w)
    {
        _dedup.Save(w);
        _guard.Save(w);
        _directory.Save(w);
        _employees.Save(w);
        _origins.Save(w);
        _days.Save(w);
        _peers.Save(w);
    }

    public void Restore(StateReader r)
    {
        _dedup.Restore(r);
        _guard.Restore(r);
        _directory.Restore(r);
        _employees.Restore(r);
        _origins.Restore(r);
        _days.Restore(r);
        _peers.Restore(r);
    }

    /// <summary>A branch and its parent from the bank's directory; what the events showed first stays.</summary>
    public void LearnBranch(string branchId, string? parentBranchId) => _directory.Learn(branchId, parentBranchId);

    /// <summary>The local day number of an instant, in the zone of the settings.</summary>
    public int DayOf(DateTimeOffset t) => _days.DayOf(t);

    /// <summary>
    /// Takes redeliveries and events whose time the guard refuses out of a batch of <paramref name="count"/> events
    /// (<paramref name="at"/> gives each with its source), in batch order; <paramref name="now"/> is the clock.
    /// </summary>
    public ScreenedBatch Screen(int count, Func<int, (QueryLogEvent Event, int Source)> at, DateTimeOffset now)
    {
        var times = new BatchTimes(count, i => at(i).Event);
        var accepted = new List<int>(count);
        var sourceTimes = new List<DateTimeOffset>(count);
        var rejected = new List<(int Index, string Reason)>();
        var duplicates = 0;
        for (var i = 0; i < count; i++)
        {
            var (e, source) = at(i);
            if (_dedup.Seen(source, e.EventId))
            {
                duplicates++;
                continue;
            }
            if (_guard.Check(e, source, now, times) is { } reason)
            {
                rejected.Add((i, reason));
                continue;
            }
            _dedup.Remember(source, e.EventId, e.OccurredAt);
            accepted.Add(i);
            sourceTimes.Add(_guard.TimeOf(source)!.Value);
        }
        return new ScreenedBatch(accepted, sourceTimes, rejected, duplicates);
    }

    /// <summary>
    /// Plans the next segment of a screened batch, from its accepted event <paramref name="from"/>: splits the
    /// events into the parts the entities judge (each in batch order, parts in first-seen order), and ends the
    /// segment right after the event that carries event time past a day's end plus the allowed lateness, closing
    /// that day (every user and branch active on it gets a part, empty if need be, that carries the day end).
    /// With <paramref name="trainedThrough"/>, it also ends before the first event whose source's time reaches a
    /// later day (<see cref="BatchPlan.Reaches"/>), where the models must be retrained first. Cut this way, the
    /// entities see the same sequence however the stream was split into batches. <see cref="BatchPlan.Next"/> is
    /// where the next segment starts.
    /// </summary>
    public BatchPlan Plan(Func<int, (QueryLogEvent Event, int Source)> at, ScreenedBatch screened, int from = 0, int trainedThrough = int.MaxValue)
    {
        var plan = new BatchPlan();
        var k = from;
        for (; k < screened.Accepted.Count; k++)
        {
            var sourceTime = screened.SourceTimes[k];
            if (trainedThrough != int.MaxValue && sourceTime != DateTimeOffset.MinValue && _days.DayOf(sourceTime) is var day && day > trainedThrough)
            {
                plan.Reaches = day;
                break;
            }
            var (e, source) = at(screened.Accepted[k]);
            _directory.Learn(e.BranchId, e.ParentBranchId);
            if (e.IsSuccessfulQuery)
            {
                _chain.Clear();
                _directory.Chain(e.BranchId, _chain);
                if (e.SubjectKey != 0 && IsForeign(e)) e = e with { SubjectFirstSeenElsewhere = true };
                var eventDay = _days.DayOf(e.OccurredAt);
                var (user, branch, surge) = _peers.Observe(e, eventDay, _days.CachedDayStart);
                if (user != 1 || branch != 1 || surge != 1) e = e with { PeerFactor = user, BranchPeerFactor = branch, BranchSurge = surge };
            }
            _days.Observe(e, source, sourceTime);
            Route(plan, e);
            if (_days.Due)
            {
                k++;
                break;
            }
        }
        _chain.Clear();
        plan.Next = k;
        var ended = _days.Ended();
        if (ended is not null)
        {
            _peers.Close(ended.Day);
            foreach (var u in ended.Users) plan.Users.TryAdd(u, []);
            foreach (var b in ended.Branches) plan.Branches.TryAdd(b, []);
            foreach (var p in ended.Employees) plan.Employees.TryAdd(p, []);
        }
        plan.Ended = ended;
        return plan;
    }

    /// <summary>Adds one accepted event to the parts that judge it: HR events to the person, the rest to the account, its administrator, person, branches and subject share.</summary>
    private void Route(BatchPlan plan, QueryLogEvent e)
    {
        if (e.Type == EventType.Employee)
        {
            Add(plan.Employees, e.EmployeeId!, e);
            if (e.StaffAction is StaffAction.Left or StaffAction.Transferred && e.EffectiveAt is { } effective)
            {
                _days.Watch(e.EmployeeId!, _days.DayOf(effective) + LeaverWatchDays);
                _employees.Leaving(e.EmployeeId!, effective.AddDays(LeaverWatchDays));
            }
            return;
        }
        Add(plan.Users, e.UserId, e);
        if (e.Type == EventType.Register && e.ApprovedAt is { } approved)
        {
            var register = _policies.For(e.BranchId, e.ParentBranchId).Rules.RegisterMismatch;
            _days.Touch(e.UserId, _days.DayOf(approved + register.EntryLife));
        }
        // An administrator's change to another account is judged for the administrator too (ADMIN_GOVERNANCE).
        if (e.Type == EventType.Account && !string.IsNullOrEmpty(e.ActorUserId) && e.ActorUserId != e.UserId) Add(plan.Users, e.ActorUserId, e);
        if (e.Type != EventType.Register && _employees.Needs(e)) Add(plan.Employees, e.EmployeeId!, e);
        if (e.Type == EventType.Login && e.Outcome is Outcome.Failed) Add(plan.Branches, e.BranchId, e);
        if (e.IsSuccessfulQuery)
        {
            foreach (var b in _chain) Add(plan.Branches, b, e);
            if (!string.IsNullOrEmpty(e.SubjectId)) Add(plan.Subjects, SubjectMonitor.ShareOf(e, SubjectShares), e);
        }
    }

    /// <summary>Whether the query's subject was first read at a branch outside its branch's line (not above it, not below it).</summary>
    private bool IsForeign(QueryLogEvent e)
    {
        var origin = _origins.Observe(e.SubjectKey, e.BranchId, e.OccurredAt);
        return origin != e.BranchId && !_chain.Contains(origin) && !_directory.IsWithin(origin, e.BranchId);
    }

    private static void Add(Dictionary<string, List<QueryLogEvent>> parts, string key, QueryLogEvent e)
    {
        if (!parts.TryGetValue(key, out var list)) parts[key] = list = new List<QueryLogEvent>(2);
        list.Add(e);
    }
}
