using Bogus;
using Monitor.Contracts;
using Monitor.Detectors.Calendar;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// A deterministic simulated bank: a head office, branches and sub-branches, accounts in every role of the
/// brief, working hours in the bank's zone with its holidays, a realistic mix of purposes with authorizations
/// signed before the queries, logins and password changes, plus the injected incidents and their labels.
/// Events are produced day by day in time order, so any number of weeks streams in bounded memory.
/// </summary>
public sealed class BankSimulator
{
    private readonly SimulationOptions _o;
    private readonly DateTimeZone _zone;
    private readonly WorkCalendar _calendar;
    private readonly Dictionary<int, List<Action<TrafficGenerator, List<QueryLogEvent>>>> _incidentsByDay = [];
    private readonly Dictionary<int, List<Action<TrafficGenerator, List<QueryLogEvent>>>> _laterByDay = []; // kinds added later: their own generator and ids
    private readonly Dictionary<string, int> _joined = new(StringComparer.Ordinal); // new hires: the day each joins
    private readonly Dictionary<string, (int From, int To)> _silenced = [];
    private readonly HashSet<string> _keepsPassword = [];
    private long _eventSeq;
    private long _feedSeq;
    private FeedTraffic? _feed;
    private long _authSeq;
    private long _laterSeq;

    public BankSimulator(SimulationOptions options, WorkCalendar? calendar = null)
    {
        _o = options;
        _zone = DateTimeZoneProviders.Tzdb[options.TimeZone];
        _calendar = calendar ?? WorkCalendar.Load();
        var random = new Randomizer(options.Seed);
        Bank = BankBuilder.Build(options, random);
        var hires = NewHires.Plan(this, options, new Randomizer(options.Seed + 23));
        var labels = PlanIncidents(new Randomizer(options.Seed + 1));
        if (hires.Count > 0) Bank = Bank with { Users = [.. Bank.Users, .. hires.Select(h => h.User)] }; // after the incidents: no incident picks a hire
        foreach (var h in hires)
        {
            _joined[h.User.UserId] = h.Day;
            _silenced[h.User.UserId] = (0, h.Day - 1);
            Later(h.Day, h.Join);
            labels.Add(h.Label);
        }
        if (options.Peaks) labels.AddRange(PeakLabels());
        _labels = labels;
    }

    public Bank Bank { get; }

    private readonly List<IncidentLabel> _labels;
    private readonly Dictionary<int, List<(DateTimeOffset At, string Id)>> _evidence = []; // label index → the incident's events generated so far

    /// <summary>Events of an incident listed on its label (<see cref="IncidentLabel.Events"/>), the first ones in time.</summary>
    public const int EvidenceShown = 64;

    /// <summary>
    /// The injected incidents, known before any event is generated; each label lists the ids of its incident's own
    /// events once they are generated (enumerate <see cref="Events"/> first to have them all).
    /// </summary>
    public IReadOnlyList<IncidentLabel> Labels => _labels.Select((l, i) => _evidence.TryGetValue(i, out var ev)
        ? l with { Events = ev.OrderBy(x => x.At).ThenBy(x => x.Id, StringComparer.Ordinal).Take(EvidenceShown).Select(x => x.Id).ToList() }
        : l).ToList();

    /// <summary>Wraps an incident's generator so the events it adds are recorded as the evidence of label <paramref name="index"/>.</summary>
    private Action<TrafficGenerator, List<QueryLogEvent>> Tracked(int index, Action<TrafficGenerator, List<QueryLogEvent>> generate) => (t, into) =>
    {
        var from = into.Count;
        generate(t, into);
        if (!_evidence.TryGetValue(index, out var list)) _evidence[index] = list = [];
        for (var i = from; i < into.Count; i++)
            if (into[i].Type is not (EventType.Register or EventType.Employee)) list.Add((into[i].OccurredAt, into[i].EventId));
    };

    public IEnumerable<QueryLogEvent> Events()
    {
        var random = new Randomizer(_o.Seed + 2);
        var traffic = new TrafficGenerator(this, random);
        var later = new TrafficGenerator(this, new Randomizer(_o.Seed + 19), NextLaterEventId);
        for (var day = 0; day < _o.Days; day++)
        {
            var date = _o.Start.PlusDays(day);
            var events = new List<QueryLogEvent>();
            traffic.Day(date, day, _calendar.IsWorkingDay(date), events);
            foreach (var generate in _incidentsByDay.GetValueOrDefault(day) ?? []) generate(traffic, events);
            foreach (var generate in _laterByDay.GetValueOrDefault(day) ?? []) generate(later, events);
            _feed?.Day(day, traffic, events); // last: the register has an entry for each read of the day that needs one
            events.Sort((a, b) => a.OccurredAt != b.OccurredAt ? a.OccurredAt.CompareTo(b.OccurredAt) : string.CompareOrdinal(a.EventId, b.EventId));
            foreach (var e in events) yield return e;
        }
    }

    /// <summary>Users whose mix of purposes or subjects is shifted on some days (subtle incidents).</summary>
    internal Dictionary<string, UserShift> Shifts { get; } = [];

    internal bool IsWorkingDay(int day) => _calendar.IsWorkingDay(DateOf(day));

    internal bool IsSilenced(string userId, int day) => _silenced.TryGetValue(userId, out var s) && day >= s.From && day <= s.To;

    /// <summary>The user does nothing of its own from day <paramref name="fromDay"/> on (a leaver).</summary>
    internal void Silence(string userId, int fromDay) => _silenced[userId] = (fromDay, int.MaxValue);

    internal WorkCalendar Calendar => _calendar;

    /// <summary>
    /// How much of its usual volume account <paramref name="u"/> reads on day <paramref name="day"/>: the calendar
    /// peak's factor (<see cref="SimulationOptions.Peaks"/>) times a new hire's ramp, from a fifth on its first day to all
    /// of it after fifteen working days. Exactly 1 without peaks and hires.
    /// </summary>
    internal double VolumeFactor(SimUser u, int day)
    {
        var factor = _o.Peaks ? CalendarPeaks.FactorOf(_calendar, DateOf(day)) : 1.0;
        if (_joined.TryGetValue(u.UserId, out var joined))
        {
            var worked = Enumerable.Range(joined, Math.Max(0, day - joined)).Count(IsWorkingDay);
            factor *= Math.Min(1, 0.2 + 0.8 * worked / 15.0);
        }
        return factor;
    }

    /// <summary>Ids of the events of kinds added later (low and slow, new hires' accounts), numbered apart so the rest of the stream keeps its ids.</summary>
    internal string NextLaterEventId() => $"ev-{_o.Seed}-n{++_laterSeq:x7}";

    /// <summary>Whether an event id is one of <see cref="NextLaterEventId"/>'s.</summary>
    internal bool IsLaterEvent(string eventId) => eventId.StartsWith($"ev-{_o.Seed}-n", StringComparison.Ordinal);

    /// <summary>The register feed when it runs (<see cref="SimulationOptions.Feeds"/>), for incidents whose reads are registered as usual.</summary>
    internal FeedTraffic? Feed => _feed;

    /// <summary>Adds events of a kind added later on day <paramref name="day"/>: generated from their own generator, after the day's other incidents.</summary>
    internal void Later(int day, Action<TrafficGenerator, List<QueryLogEvent>> generate)
    {
        if (!_laterByDay.TryGetValue(day, out var list)) _laterByDay[day] = list = [];
        list.Add(generate);
    }

    /// <summary>One quiet label per calendar peak of the run: every account reads more by the day's factor, and none of that is an incident.</summary>
    private IEnumerable<IncidentLabel> PeakLabels()
    {
        for (var day = 0; day < _o.Days; day++)
        {
            var date = DateOf(day);
            var factor = CalendarPeaks.FactorOf(_calendar, date);
            if (factor <= 1) continue;
            var head = Bank.Branches[0].BranchId;
            yield return new IncidentLabel("peak_day", [], "bank", "*", null, head, At(date, LocalTime.Midnight), At(date.PlusDays(1), LocalTime.Midnight).AddTicks(-1), false)
            {
                Factor = factor,
            };
        }
    }

    internal bool KeepsPassword(string userId) => _keepsPassword.Contains(userId);

    internal LocalDate DateOf(int day) => _o.Start.PlusDays(day);

    internal int FirstWorkingDay => Enumerable.Range(0, _o.Days).FirstOrDefault(d => _calendar.IsWorkingDay(DateOf(d)));

    internal DateTimeOffset At(LocalDate date, LocalTime time) => date.At(time).InZoneLeniently(_zone).ToDateTimeOffset();

    internal string NextEventId() => $"ev-{_o.Seed}-{++_eventSeq:x8}";

    /// <summary>Ids of the register and HR feeds' events, numbered apart so the rest of the stream keeps its ids.</summary>
    internal string NextFeedEventId() => $"ev-{_o.Seed}-f{++_feedSeq:x7}";

    internal string NextAuthorizationId() => $"AUTH-{_o.Seed}-{++_authSeq:x7}";

    private List<IncidentLabel> PlanIncidents(Randomizer random)
    {
        var labels = new List<IncidentLabel>();
        var workingDays = Enumerable.Range(0, _o.Days).Where(d => d >= 1 && _calendar.IsWorkingDay(DateOf(d))).ToList();
        if (workingDays.Count == 0) return labels;
        var freeOperators = random.Shuffle(Bank.Operators.ToList()).ToList();
        var freeAdmins = random.Shuffle(Bank.Admins.ToList()).ToList();
        var freeKiosks = random.Shuffle(Bank.Users.Where(u => u.Channel == Channel.SelfServiceKiosk).ToList()).ToList();
        var subBranches = random.Shuffle(Bank.Branches.Where(b => b.Level == 2).ToList()).ToList();
        // Kinds added later draw from a generator of their own, so the incidents every seed had before stay where they were.
        var later = new Randomizer(_o.Seed + 11);
        var freeWindows = later.Shuffle(Bank.Users.Where(u => u.Role == UserRole.WindowQuery && u.Channel == Channel.Counter).ToList()).ToList();
        foreach (var kind in IncidentKind.All.Concat(IncidentKind.Subtle))
        {
            if (kind == IncidentKind.LowAndSlow) continue; // planned last, below
            for (var i = 0; i < _o.Incidents.GetValueOrDefault(kind.Name); i++)
            {
                var candidates = workingDays.Where(d => d >= kind.LeadDays && d + kind.SpanDays < _o.Days).ToList();
                if (kind.Name == "password_age")
                {
                    var due = At(DateOf(FirstWorkingDay), new LocalTime(8, 45)).AddMonths(2);
                    candidates = candidates.Where(d => At(DateOf(d), new LocalTime(8, 0)) > due).Take(3).ToList();
                }
                if (candidates.Count == 0) continue;
                var draw = kind == IncidentKind.WindowTerminal ? later : random;
                var day = candidates[draw.Number(0, candidates.Count - 1)];
                var date = DateOf(day);
                PlannedIncident? planned = kind.Name switch
                {
                    "admin_query" => Take(freeAdmins) is { } admin ? PlannedIncident.ForUser(this, kind, admin, day, date, random) : null,
                    "kiosk_off_hours" => Take(freeKiosks) is { } kiosk ? PlannedIncident.ForUser(this, kind, kiosk, day, date, random) : null,
                    "window_terminal" => Take(freeWindows) is { } window ? PlannedIncident.ForUser(this, kind, window, day, date, later) : null,
                    "branch_volume_spike" => Take(subBranches) is { } sb ? PlannedIncident.ForBranch(this, kind, sb, day, date) : null,
                    "sub_branch_doubling" => Take(subBranches) is { } sb ? SubtleIncidents.Doubling(this, kind, sb, day, date) : null,
                    "volume_creep" or "post_loan_shift" or "foreign_subjects" => Take(freeOperators) is { } op ? SubtleIncidents.ForUser(this, kind, op, day, date) : null,
                    _ => Take(freeOperators) is { } op ? PlannedIncident.ForUser(this, kind, op, day, date, random) : null,
                };
                if (planned is null) continue;
                if (planned.TouchedUsers.Count > 0)
                {
                    freeOperators.RemoveAll(u => planned.TouchedUsers.Contains(u.UserId));
                    freeWindows.RemoveAll(u => planned.TouchedUsers.Contains(u.UserId));
                }
                foreach (var (d, generate) in planned.Days)
                {
                    if (!_incidentsByDay.TryGetValue(d, out var list)) _incidentsByDay[d] = list = [];
                    list.Add(Tracked(labels.Count, generate));
                }
                if (planned.Silence is { } silence) _silenced[planned.Label.UserId!] = silence;
                if (planned.KeepsPassword) _keepsPassword.Add(planned.Label.UserId!);
                labels.Add(planned.Label);
            }
        }
        if (_o.Feeds) PlanFeeds(labels, workingDays, freeOperators);
        PlanLater(labels, workingDays, freeOperators);
        return labels;
    }

    /// <summary>
    /// The kinds added later (low and slow), from a generator of their own and on accounts no other incident or feed
    /// story has, so every incident a seed had before stays where it was.
    /// </summary>
    private void PlanLater(List<IncidentLabel> labels, List<int> workingDays, List<SimUser> freeOperators)
    {
        var random = new Randomizer(_o.Seed + 17);
        var taken = labels.SelectMany(l => l.TouchedUsers).Concat(_feed?.Touched ?? []).ToHashSet(StringComparer.Ordinal);
        var operators = random.Shuffle(freeOperators.Where(u => !taken.Contains(u.UserId) && !_silenced.ContainsKey(u.UserId)).ToList()).ToList();
        var kind = IncidentKind.LowAndSlow;
        for (var i = 0; i < _o.Incidents.GetValueOrDefault(kind.Name); i++)
        {
            var candidates = workingDays.Where(d => d >= kind.LeadDays && d + kind.SpanDays < _o.Days).ToList();
            if (candidates.Count == 0 || Take(operators) is not { } op) continue;
            var planned = SlowIncidents.LowAndSlow(this, kind, op, candidates[random.Number(0, candidates.Count - 1)], random);
            foreach (var (d, generate) in planned.Days) Later(d, Tracked(labels.Count, generate));
            labels.Add(planned.Label);
        }
    }

    /// <summary>The register and HR feeds' ordinary life and incidents, from generators of their own (<see cref="SimulationOptions.Feeds"/>).</summary>
    private void PlanFeeds(List<IncidentLabel> labels, List<int> workingDays, List<SimUser> freeOperators)
    {
        var random = new Randomizer(_o.Seed + 13);
        _feed = new FeedTraffic(this, new Randomizer(_o.Seed + 14));
        var touched = labels.SelectMany(l => l.TouchedUsers).ToHashSet(StringComparer.Ordinal);
        _feed.Touched.UnionWith(touched);
        var operators = random.Shuffle(freeOperators.Where(u => !touched.Contains(u.UserId)).ToList()).ToList();
        var admins = random.Shuffle(Bank.Users.Where(u => u.Role == UserRole.UserAdmin && !touched.Contains(u.UserId)).ToList()).ToList();
        foreach (var kind in IncidentKind.FeedKinds)
        {
            for (var i = 0; i < _o.Incidents.GetValueOrDefault(kind.Name); i++)
            {
                var candidates = workingDays.Where(d => d >= kind.LeadDays && d + 7 < _o.Days).ToList();
                if (candidates.Count == 0) continue;
                var day = candidates[random.Number(0, candidates.Count - 1)];
                if (FeedIncidents.Plan(this, _feed, kind, day, operators, admins) is not { } planned) continue;
                foreach (var (d, generate) in planned.Days) _feed.At(d, Tracked(labels.Count, generate));
                _feed.Touched.UnionWith(planned.TouchedUsers);
                labels.Add(planned.Label);
            }
        }
        _feed.Plan(operators, _o.Days);
    }

    /// <summary>Takes the last item of <paramref name="list"/> that <paramref name="where"/> accepts (any, without it), or null.</summary>
    internal static T? Take<T>(List<T> list, Func<T, bool>? where = null) where T : class
    {
        var i = where is null ? list.Count - 1 : list.FindLastIndex(x => where(x));
        if (i < 0) return null;
        var item = list[i];
        list.RemoveAt(i);
        return item;
    }
}
