using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Rules;

namespace Monitor.Detectors;

/// <summary>
/// Detection state of one branch. It sees its own users' events and those of every branch below it;
/// the fixed VOLUME_SPIKE thresholds count the branch's own queries; the others only move its event time on.
/// </summary>
public sealed class BranchMonitor(string branchId, DetectorContext context)
{
    private readonly VolumeCounter _own = new();
    private readonly AlertBook _alerts = new(context.Settings.Suspension);
    private readonly List<Finding> _findings = new(2);

    public string BranchId => branchId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        if (!e.IsSuccessfulQuery) return;
        var policy = context.Policies.For(branchId, e.BranchId == branchId ? e.ParentBranchId : null);
        _alerts.AdvanceTo(e.OccurredAt, context.Settings.AllowedLateness, policy.Zone, output.Alerts);
        if (e.BranchId != branchId) return;
        var c = EventContext.Of(e, context.Policies, context.Calendar);
        _findings.Clear();
        _own.Count(c, EntityKind.Branch, branchId, policy.BranchDaily, policy.BranchMonthly, $"branch {branchId}", _findings);
        foreach (var f in _findings)
            if (_alerts.Apply(f, c.DayKey) is { } alert) output.Alerts.Add(alert);
    }
}
