using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Rules;
using NodaTime;

namespace Monitor.Detectors;

/// <summary>
/// Detection state of one branch. It sees its own users' events and those of every branch below it;
/// the fixed VOLUME_SPIKE thresholds count the branch's own queries, the subtree count is kept for reporting.
/// </summary>
public sealed class BranchMonitor(string branchId, DetectorContext context)
{
    private readonly VolumeCounter _own = new();
    private readonly AlertBook _alerts = new(context.Settings.Suspension);
    private readonly List<Finding> _findings = new(2);
    private DateTimeOffset _watermark = DateTimeOffset.MinValue;
    private LocalDate _closedBefore;
    private long _subtreeQueries;

    public string BranchId => branchId;
    public long SubtreeQueries => _subtreeQueries;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        if (!e.IsSuccessfulQuery) return;
        _subtreeQueries++;
        var policy = context.Policies.For(branchId, e.BranchId == branchId ? e.ParentBranchId : null);
        if (e.OccurredAt > _watermark) Advance(e.OccurredAt, policy.Zone, output);
        if (e.BranchId != branchId) return;
        var c = EventContext.Of(e, context.Policies, context.Calendar) with { Policy = policy };
        _findings.Clear();
        _own.Count(c, EntityKind.Branch, branchId, policy.BranchDaily, policy.BranchMonthly, $"branch {branchId}", _findings);
        foreach (var f in _findings)
            if (_alerts.Apply(f, c.DayKey) is { } alert) output.Alerts.Add(alert);
    }

    private void Advance(DateTimeOffset to, DateTimeZone zone, DetectionOutput output)
    {
        // Only a new day can close periods; skip the zone conversion while still inside the same UTC hour.
        if (to.UtcTicks / TimeSpan.TicksPerHour == _watermark.UtcTicks / TimeSpan.TicksPerHour && _watermark != DateTimeOffset.MinValue)
        {
            _watermark = to;
            return;
        }
        _watermark = to;
        var closedBefore = Instant.FromDateTimeOffset(to - context.Settings.AllowedLateness).InZone(zone).Date;
        if (closedBefore <= _closedBefore) return;
        _closedBefore = closedBefore;
        _alerts.Close(closedBefore.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), output.Alerts);
    }
}
