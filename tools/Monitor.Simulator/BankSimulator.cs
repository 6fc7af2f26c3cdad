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
    private readonly Dictionary<string, (int From, int To)> _silenced = [];
    private readonly HashSet<string> _keepsPassword = [];
    private long _eventSeq;
    private long _feedSeq;
    private FeedTraffic? _feed;
    private long _authSeq;

    public BankSimulator(SimulationOptions options, WorkCalendar? calendar = null)
    {
        _o = options;
        _zone = DateTimeZoneProviders.Tzdb[options.TimeZone];
        _calendar = calendar ?? WorkCalendar.Load();
        var random = new Randomizer(options.Seed);
        Bank = BankBuilder.Build(options, random);
        Labels = PlanIncidents(new Randomizer(options.Seed + 1));
    }

    public Bank Bank { get; }

    /// <summary>The injected incidents, known before any event is generated.</summary>
    public IReadOnlyList<IncidentLabel> Labels { get; }

    public IEnumerable<QueryLogEvent> Events()
    {
        var random = new Randomizer(_o.Seed + 2);
        var traffic = new TrafficGenerator(this, random);
        for (var day = 0; day < _o.Days; day++)
        {
            var date = _o.Start.PlusDays(day);
            var events = new List<QueryLogEvent>();
            traffic.Day(date, day, _calendar.IsWorkingDay(date), events);
            foreach (var generate in _incidentsByDay.GetValueOrDefault(day) ?? []) generate(traffic, events);
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
                    list.Add(generate);
                }
                if (planned.Silence is { } silence) _silenced[planned.Label.UserId!] = silence;
                if (planned.KeepsPassword) _keepsPassword.Add(planned.Label.UserId!);
                labels.Add(planned.Label);
            }
        }
        if (_o.Feeds) PlanFeeds(labels, workingDays, freeOperators);
        return labels;
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
                foreach (var (d, generate) in planned.Days) _feed.At(d, generate);
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
