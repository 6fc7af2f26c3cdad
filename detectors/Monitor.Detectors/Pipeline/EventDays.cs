using Monitor.Contracts.State;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Local days as event time sees them, for closing day windows: who was active (any event) on each open day, and when event
/// time has passed a day's end by the allowed lateness, so that day is over for everyone, including users who
/// never query again. Event time is the slowest source's time (a Kafka partition read ahead of the
/// others must not end a day the others are still delivering); a source more than a week behind the newest
/// is taken as idle and not waited for. Days are those of the default zone of the settings.
/// </summary>
public sealed class EventDays(string zoneId, TimeSpan lateness) : IDurableState
{
    private readonly DateTimeZone _zone = DateTimeZoneProviders.Tzdb[zoneId];
    private readonly SortedDictionary<int, OpenDay> _open = [];
    private static readonly TimeSpan Idle = TimeSpan.FromDays(7);
    private readonly Dictionary<int, DateTimeOffset> _sources = [];
    private readonly Dictionary<string, int> _watched = new(StringComparer.Ordinal); // employee → last day it wants day ends for
    private DateTimeOffset _newest = DateTimeOffset.MinValue;
    private DateTimeOffset _cachedStart = DateTimeOffset.MaxValue;
    private DateTimeOffset _cachedEnd = DateTimeOffset.MinValue;
    private int _cachedDay;
    private DateTimeOffset _firstClose = DateTimeOffset.MaxValue; // the earliest open day's close (derived, not saved)

    /// <summary>The open days with who was active on them, each source's time, the newest time and the day cache; zone and lateness are the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("EventDays");
        w.Write(_open, (w, d) => w.Write(d), (w, open) =>
        {
            w.Write(open.Closes);
            w.Write(open.Users, (w, u) => w.Write(u));
            w.Write(open.Branches, (w, b) => w.Write(b));
            w.Write(open.RegisterBranches, (w, b) => w.Write(b));
        });
        w.Write(_watched, (w, k) => w.Write(k), (w, d) => w.Write(d));
        w.Write(_sources, (w, k) => w.Write(k), (w, t) => w.Write(t));
        w.Write(_newest);
        w.Write(_cachedStart);
        w.Write(_cachedEnd);
        w.Write(_cachedDay);
    }

    public void Restore(StateReader r)
    {
        r.Section("EventDays");
        _open.Clear();
        r.ReadInto(_open, r => r.ReadInt(), r =>
        {
            var open = new OpenDay(r.ReadTime());
            open.Users.UnionWith(r.ReadList(r => r.ReadString()));
            open.Branches.UnionWith(r.ReadList(r => r.ReadString()));
            open.RegisterBranches.UnionWith(r.ReadList(r => r.ReadString()));
            return open;
        });
        _watched.Clear();
        r.ReadInto(_watched, r => r.ReadString(), r => r.ReadInt());
        _sources.Clear();
        r.ReadInto(_sources, r => r.ReadInt(), r => r.ReadTime());
        _newest = r.ReadTime();
        _cachedStart = r.ReadTime();
        _cachedEnd = r.ReadTime();
        _cachedDay = r.ReadInt();
        _firstClose = FirstClose();
    }

    /// <summary>The local day number of an instant (cached for the current day: one comparison per event).</summary>
    public int DayOf(DateTimeOffset t)
    {
        if (t >= _cachedStart && t < _cachedEnd) return _cachedDay;
        var date = Instant.FromDateTimeOffset(t).InZone(_zone).Date;
        _cachedDay = date.ToDateOnly().DayNumber;
        _cachedStart = _zone.AtStartOfDay(date).ToDateTimeOffset();
        _cachedEnd = _zone.AtStartOfDay(date.PlusDays(1)).ToDateTimeOffset();
        return _cachedDay;
    }

    /// <summary>When the local day of the instant last given to <see cref="DayOf"/> began.</summary>
    public DateTimeOffset CachedDayStart => _cachedStart;

    /// <summary>
    /// Moves event time on to the source's time after this event (<paramref name="sourceTime"/>, the guard's robust
    /// <see cref="SourceTime"/>: one early-dated event does not end a day), and records who queried on the event's
    /// day (its branch too, for a delivered report).
    /// </summary>
    public void Observe(QueryLogEvent e, int source, DateTimeOffset sourceTime)
    {
        if (!_sources.TryGetValue(source, out var newest) || sourceTime > newest) _sources[source] = sourceTime;
        if (sourceTime > _newest) _newest = sourceTime;
        var day = DayOf(e.OccurredAt); // every event: a user who only logged in or had the account changed has a day to close too (the daily sheet)
        var open = OpenDayOf(day);
        if (e.Type == EventType.Employee) return; // the HR feed names a person, not an account: no user day
        open.Users.Add(e.UserId);
        if (e.IsSuccessfulQuery) open.Branches.Add(e.BranchId);
        else if (e.Type == EventType.Register) open.RegisterBranches.Add(e.BranchId);
    }

    /// <summary>
    /// Tells <paramref name="userId"/> of the end of day number <paramref name="day"/> (a later day) as if it were active
    /// on it: an approval-register entry's window ends then, and an entry no read used must be judged even if the
    /// user does nothing that day.
    /// </summary>
    public void Touch(string userId, int day) => OpenDayOf(day).Users.Add(userId);

    private OpenDay OpenDayOf(int day)
    {
        if (_open.TryGetValue(day, out var open)) return open;
        var end = _zone.AtStartOfDay(LocalDate.FromDateOnly(DateOnly.FromDayNumber(day)).PlusDays(1)).ToDateTimeOffset();
        _open[day] = open = new OpenDay(end + lateness);
        if (open.Closes < _firstClose) _firstClose = open.Closes;
        return open;
    }

    /// <summary>
    /// Tells employee <paramref name="employeeId"/> of every day end through day number <paramref name="throughDay"/>,
    /// whether or not it has events (a leaver's accounts must be disabled in time, and silence is the failure).
    /// </summary>
    public void Watch(string employeeId, int throughDay)
    {
        if (!_watched.TryGetValue(employeeId, out var until) || until < throughDay) _watched[employeeId] = throughDay;
    }

    /// <summary>
    /// Whether event time has passed an open day's end by the allowed lateness: the planner closes that day right
    /// after the event that moved it there, so where a day ends never depends on where a batch ended.
    /// </summary>
    public bool Due => _newest >= _firstClose && Watermark() >= _firstClose;

    private DateTimeOffset FirstClose() => _open.Count == 0 ? DateTimeOffset.MaxValue : _open.First().Value.Closes;

    /// <summary>The slowest source's time, leaving out sources a week behind the newest (idle ones).</summary>
    private DateTimeOffset Watermark()
    {
        var watermark = _newest;
        foreach (var t in _sources.Values)
            if (t < watermark && _newest - t < Idle) watermark = t;
        return watermark;
    }

    /// <summary>The days event time has left behind since the last call, merged (null when none): whom to tell.</summary>
    public EndedDays? Ended()
    {
        EndedDays? ended = null;
        var watermark = Watermark();
        while (_open.Count > 0)
        {
            var (day, open) = _open.First();
            if (open.Closes > watermark) break;
            _open.Remove(day);
            ended ??= new EndedDays(day, open.Closes, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
            ended = ended with { Day = day, At = open.Closes };
            ended.Users.UnionWith(open.Users);
            ended.Branches.UnionWith(open.Branches);
            if (open.RegisterBranches.Count > 0) ended.RegisterBranches[day] = open.RegisterBranches;
        }
        if (ended is not null)
        {
            ended.Employees.UnionWith(_watched.Keys);
            foreach (var done in _watched.Where(w => w.Value <= ended.Day).Select(w => w.Key).ToList()) _watched.Remove(done);
        }
        _firstClose = FirstClose();
        return ended;
    }

    private sealed class OpenDay(DateTimeOffset closes)
    {
        public DateTimeOffset Closes { get; } = closes;
        public HashSet<string> Users { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Branches { get; } = new(StringComparer.Ordinal);
        public HashSet<string> RegisterBranches { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>
/// Days that are over, through <paramref name="Day"/>, as of event time <paramref name="At"/>, and whom to tell: who was
/// active on them, the employees waiting for day ends, and per day the branches whose register delivered entries.
/// </summary>
public sealed record EndedDays(int Day, DateTimeOffset At, HashSet<string> Users, HashSet<string> Branches)
{
    public HashSet<string> Employees { get; } = new(StringComparer.Ordinal);
    public Dictionary<int, IReadOnlySet<string>> RegisterBranches { get; } = [];

    /// <summary>The day end the entities are told.</summary>
    public DayClose ToClose() => new(Day, At) { RegisterBranches = RegisterBranches };
}
