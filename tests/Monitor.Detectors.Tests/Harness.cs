using Monitor.Contracts;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Tests;

/// <summary>Feeds events through the same monitors the actors own and collects what they publish.</summary>
internal sealed class Harness(DetectionSettings? settings = null)
{
    private readonly DetectorContext _context = new(settings ?? new DetectionSettings());
    private readonly Dictionary<string, UserMonitor> _users = [];
    private readonly Dictionary<string, BranchMonitor> _branches = [];

    public DetectionOutput Output { get; } = new();

    public Harness Feed(params QueryLogEvent[] events)
    {
        foreach (var e in events)
        {
            if (!_users.TryGetValue(e.UserId, out var u)) _users[e.UserId] = u = new UserMonitor(e.UserId, _context);
            u.Process(e, Output);
            foreach (var b in new[] { e.BranchId, e.ParentBranchId }.OfType<string>())
            {
                if (!_branches.TryGetValue(b, out var m)) _branches[b] = m = new BranchMonitor(b, _context);
                m.Process(e, Output);
            }
        }
        return this;
    }

    public IReadOnlyList<Alert> Alerts(string rule) => Output.Alerts.Where(a => a.Rule == rule).ToList();

    /// <summary>The latest revision of every alert.</summary>
    public IReadOnlyList<Alert> Latest => Output.Alerts.GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
}
