using Monitor.Contracts;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Suspension;

namespace Monitor.Detectors.Tests;

/// <summary>
/// Feeds events through the same monitors the actors own, routed by the same <see cref="BatchPlanner"/> the
/// detection coordinator calls (redeliveries and refused times dropped, branch chain, employee routing, subject
/// shares and origins, day ends), each event a batch of its own from one source with the clock at its time, and
/// collects what they publish.
/// </summary>
internal sealed class Harness(DetectionSettings? settings = null)
{
    private readonly Dictionary<string, IEntityMonitor> _monitors = [];
    private BatchPlanner? _planner;

    public DetectorContext Context { get; } = new(settings ?? new DetectionSettings());

    public DetectionOutput Output { get; } = new();

    /// <summary>Decides suspensions as the coordinator does, here once per event (a batch of one).</summary>
    public SuspensionDesk Desk { get; private set; } = null!;

    private SuspensionDesk DeskOf() => Desk ??= new SuspensionDesk(() => Context.Settings.Suspension);

    public static Harness FromJson(string json) => new(SettingsLoader.Parse(json));

    public Harness Feed(params QueryLogEvent[] events) => Feed((IEnumerable<QueryLogEvent>)events);

    public Harness Feed(IEnumerable<QueryLogEvent> events)
    {
        foreach (var e in events)
        {
            var from = Output.Alerts.Count;
            Route(e);
            var decided = DeskOf().Decide([e], Output.Alerts.GetRange(from, Output.Alerts.Count - from));
            Output.Alerts.RemoveRange(from, Output.Alerts.Count - from);
            Output.Alerts.AddRange(decided.Alerts);
            Output.Commands.AddRange(decided.Commands);
        }
        return this;
    }

    /// <summary>The routing the coordinator uses, made on first use from the settings of <see cref="Context"/>.</summary>
    public BatchPlanner Planner => _planner ??= new BatchPlanner(Context.Settings);

    private void Route(QueryLogEvent e)
    {
        (QueryLogEvent, int) At(int _) => (e, 0);
        var screened = Planner.Screen(1, At, e.OccurredAt);
        var plan = Planner.Plan(At, screened);
        foreach (var (user, events) in plan.Users)
            Run(Get("u:" + user, () => new UserMonitor(user, Context)), events, plan.EndForUser(user));
        foreach (var (branch, events) in plan.Branches) Run(Branch(branch), events, plan.EndForBranch(branch));
        foreach (var (employee, events) in plan.Employees)
            Run(Get("e:" + employee, () => new EmployeeMonitor(employee, Context)), events, plan.EndForEmployee(employee));
        foreach (var (share, events) in plan.Subjects) Run(Get(share, () => new SubjectMonitor(Context)), events, null);
    }

    private void Run(IEntityMonitor monitor, List<QueryLogEvent> events, EndedDays? end)
    {
        foreach (var e in events) monitor.Process(e, Output);
        if (end is not null) monitor.EndOfDay(end.ToClose(), Output);
    }

    /// <summary>Seeds the user and employee monitors with accounts of the bank's directory, as the graph does on import-accounts.</summary>
    public Harness Seed(params AccountSeed[] seeds)
    {
        foreach (var s in seeds)
        {
            Get("u:" + s.UserId, () => new UserMonitor(s.UserId, Context)).Seed(s);
            Get("e:" + s.EmployeeId, () => new EmployeeMonitor(s.EmployeeId, Context)).Seed(s);
        }
        return this;
    }

    public IReadOnlyList<Alert> Alerts(string rule) => Output.Alerts.Where(a => a.Rule == rule).ToList();

    /// <summary>The latest revision of every alert.</summary>
    public IReadOnlyList<Alert> Latest => Output.Alerts.GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();

    /// <summary>The latest revision of every alert of one rule.</summary>
    public IReadOnlyList<Alert> LatestOf(string rule) => Latest.Where(a => a.Rule == rule).ToList();

    private IEntityMonitor Branch(string id) => Get("b:" + id, () => new BranchMonitor(id, Context));

    private IEntityMonitor Get(string key, Func<IEntityMonitor> create)
    {
        if (!_monitors.TryGetValue(key, out var m)) _monitors[key] = m = create();
        return m;
    }
}
