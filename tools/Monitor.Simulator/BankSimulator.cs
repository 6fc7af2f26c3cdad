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
    private readonly Dictionary<int, List<PlannedIncident>> _incidentsByDay = [];
    private long _eventSeq;
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
            foreach (var incident in _incidentsByDay.GetValueOrDefault(day) ?? []) incident.Generate(traffic, events);
            events.Sort((a, b) => a.OccurredAt != b.OccurredAt ? a.OccurredAt.CompareTo(b.OccurredAt) : string.CompareOrdinal(a.EventId, b.EventId));
            foreach (var e in events) yield return e;
        }
    }

    internal DateTimeOffset At(LocalDate date, LocalTime time) => date.At(time).InZoneLeniently(_zone).ToDateTimeOffset();

    internal string NextEventId() => $"ev-{_o.Seed}-{++_eventSeq:x8}";

    internal string NextAuthorizationId() => $"AUTH-{_o.Seed}-{++_authSeq:x7}";

    private List<IncidentLabel> PlanIncidents(Randomizer random)
    {
        var labels = new List<IncidentLabel>();
        var workingDays = Enumerable.Range(0, _o.Days).Where(d => d >= 1 && _calendar.IsWorkingDay(_o.Start.PlusDays(d))).ToList();
        if (workingDays.Count == 0) return labels;
        var freeOperators = random.Shuffle(Bank.Operators.ToList()).ToList();
        var freeAdmins = random.Shuffle(Bank.Admins.ToList()).ToList();
        var subBranches = random.Shuffle(Bank.Branches.Where(b => b.Level == 2).ToList()).ToList();
        foreach (var kind in IncidentKind.All)
        {
            for (var i = 0; i < _o.Incidents.GetValueOrDefault(kind.Name); i++)
            {
                var day = workingDays[random.Number(0, workingDays.Count - 1)];
                var date = _o.Start.PlusDays(day);
                PlannedIncident? planned = kind.Name switch
                {
                    "admin_query" => Take(freeAdmins) is { } admin ? PlannedIncident.ForUser(this, kind, admin, date, random) : null,
                    "branch_volume_spike" => Take(subBranches) is { } sb ? PlannedIncident.ForBranch(this, kind, sb, date, random) : null,
                    _ => Take(freeOperators) is { } op ? PlannedIncident.ForUser(this, kind, op, date, random) : null,
                };
                if (planned is null) continue;
                if (planned.TouchedUsers.Count > 0) freeOperators.RemoveAll(u => planned.TouchedUsers.Contains(u.UserId));
                if (!_incidentsByDay.TryGetValue(day, out var list)) _incidentsByDay[day] = list = [];
                list.Add(planned);
                labels.Add(planned.Label);
            }
        }
        return labels;
    }

    private static T? Take<T>(List<T> list) where T : class
    {
        if (list.Count == 0) return null;
        var item = list[^1];
        list.RemoveAt(list.Count - 1);
        return item;
    }
}
