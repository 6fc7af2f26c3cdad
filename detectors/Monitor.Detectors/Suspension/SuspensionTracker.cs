using Monitor.Contracts;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// Decides, for one user, whether an alert becomes a <c>suspend</c> command. A user the monitor has suspended
/// is not suspended again until an account event shows the permission restored, and an alert that has
/// yielded a command never yields another, however often it is republished.
/// </summary>
public sealed class SuspensionTracker
{
    private const int RememberedAlerts = 64;
    private readonly Queue<string> _commandedOrder = new();
    private readonly HashSet<string> _commanded = new(StringComparer.Ordinal);

    /// <summary>The command that suspended the user and is still in force, if any.</summary>
    public string? ActiveSuspension { get; private set; }

    public PermissionCommand? Decide(Alert alert, string branchId)
    {
        if (!alert.SuspensionRequested || alert.UserId is null || ActiveSuspension is not null || _commanded.Contains(alert.AlertId)) return null;
        var command = new PermissionCommand
        {
            CommandId = StableId.Of("cmd", "suspend", alert.UserId, alert.AlertId),
            Action = "suspend",
            UserId = alert.UserId,
            BranchId = branchId,
            Reason = $"{alert.Rule} ({alert.Severity}, score {alert.Score}): {alert.Explanation}",
            AlertIds = [alert.AlertId],
            IssuedAt = alert.EventTime,
        };
        ActiveSuspension = command.CommandId;
        _commanded.Add(alert.AlertId);
        _commandedOrder.Enqueue(alert.AlertId);
        if (_commandedOrder.Count > RememberedAlerts) _commanded.Remove(_commandedOrder.Dequeue());
        return command;
    }

    /// <summary>Account events restoring the permission end the monitor's suspension.</summary>
    public void Observe(QueryLogEvent e)
    {
        if (e.Type == EventType.Account && e.Action is AccountAction.Reinstated or AccountAction.Enabled) ActiveSuspension = null;
    }
}
