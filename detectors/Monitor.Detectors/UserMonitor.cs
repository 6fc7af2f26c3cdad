using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Rules;
using Monitor.Detectors.Suspension;

namespace Monitor.Detectors;

/// <summary>
/// All detection state of one credit-system user and the decisions taken on it: the user actor owns one and
/// feeds it the user's events in order. Pure and clock-free: the same events give the same output.
/// </summary>
public sealed class UserMonitor(string userId, DetectorContext context)
{
    private readonly VolumeCounter _volume = new();
    private readonly AlertBook _alerts = new(context.Settings.Suspension);
    private readonly SuspensionTracker _suspension = new();
    private readonly List<Finding> _findings = new(4);

    public string UserId => userId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        var c = EventContext.Of(e, context.Policies, context.Calendar);
        _alerts.AdvanceTo(e.OccurredAt, context.Settings.AllowedLateness, c.Policy.Zone, output.Alerts);
        _suspension.Observe(e);
        if (!e.IsQuery) return;

        _findings.Clear();
        Add(EventRules.AdminQuery(c));
        Add(EventRules.NoAuthorization(c));
        Add(EventRules.QueryBeforeAuthorization(c));
        Add(EventRules.OffHours(c, context.Policies));
        if (e.IsSuccessfulQuery)
            _volume.Count(c, EntityKind.User, userId, c.Policy.UserDaily, c.Policy.UserMonthly, $"user {userId}", _findings);

        foreach (var f in _findings)
        {
            if (_alerts.Apply(f, c.DayKey) is not { } alert) continue;
            output.Alerts.Add(alert);
            if (_suspension.Decide(alert, e.BranchId) is { } command) output.Commands.Add(command);
        }
    }

    private void Add(Finding? f)
    {
        if (f is not null) _findings.Add(f);
    }
}
