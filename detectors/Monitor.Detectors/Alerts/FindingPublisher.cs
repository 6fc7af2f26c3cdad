using Monitor.Contracts;

namespace Monitor.Detectors.Alerts;

/// <summary>
/// The one way an entity's findings become alerts: a finding under a suppression is counted and dropped,
/// the rest are folded into the entity's <see cref="AlertBook"/>, and each revision published may be turned
/// into a permission command by the caller.
/// </summary>
public sealed class FindingPublisher(DetectorContext context)
{
    public AlertBook Book { get; } = new(context);

    /// <summary>Findings dropped because a suppression covered them.</summary>
    public long Suppressed { get; private set; }

    public void Publish(List<Finding> findings, in Rules.EventContext c, DetectionOutput output, Func<Alert, PermissionCommand?>? decide = null)
    {
        if (findings.Count == 0) return;
        var dayKey = c.DayKey;
        var suppressions = context.Current.Suppressions;
        foreach (var f in findings)
        {
            if (suppressions.Covering(f) is not null)
            {
                Suppressed++;
                continue;
            }
            if (Book.Apply(f, dayKey) is not { } alert) continue;
            output.Alerts.Add(alert);
            if (decide?.Invoke(alert) is { } command) output.Commands.Add(command);
        }
    }
}
