using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Suspension;

namespace Monitor.Detectors.Tests;

/// <summary>
/// Feeds events through the same monitors the actors own, routed as the detection coordinator routes them
/// (every event to its user and employee; successful queries to the branch chain and the subject share;
/// failed logins to the own branch), and collects what they publish.
/// </summary>
internal sealed class Harness(DetectionSettings? settings = null)
{
    private readonly Dictionary<string, IEntityMonitor> _monitors = [];
    private readonly Dictionary<string, string> _parents = [];

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

    private void Route(QueryLogEvent e)
    {
        {
            if (e.ParentBranchId is { } p) _parents.TryAdd(e.BranchId, p);
            Get("u:" + e.UserId, () => new UserMonitor(e.UserId, Context)).Process(e, Output);
            if (!string.IsNullOrEmpty(e.EmployeeId)) Get("e:" + e.EmployeeId, () => new EmployeeMonitor(e.EmployeeId, Context)).Process(e, Output);
            if (e.Type == EventType.Login && e.Outcome is Outcome.Failed) Branch(e.BranchId).Process(e, Output);
            if (!e.IsSuccessfulQuery) return;
            for (var b = e.BranchId; b is not null; b = _parents.GetValueOrDefault(b)) Branch(b).Process(e, Output);
            if (!string.IsNullOrEmpty(e.SubjectId))
                Get(SubjectMonitor.ShareOf(e, 16), () => new SubjectMonitor(Context)).Process(e, Output);
        }
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
