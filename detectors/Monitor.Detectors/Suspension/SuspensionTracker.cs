using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// Decides, for one user, whether an alert becomes a <c>suspend</c> command: by the alert alone
/// (<see cref="SuspensionPolicy"/>), or because it is one too many within the repeated-alerts period. A user the
/// monitor has suspended is not suspended again until an account event shows the permission restored, and an
/// alert that has yielded a command never yields another, however often it is republished. The command id is
/// derived from the user and the alert that decided, so a replay or a restart issues the same id.
/// </summary>
public sealed class SuspensionTracker : IDurableState
{
    private const int RememberedAlerts = 64;
    private readonly Queue<string> _commandedOrder = new();
    private readonly HashSet<string> _commanded = new(StringComparer.Ordinal);
    private readonly List<Alert> _recent = [];

    /// <summary>The command that suspended the user and is still in force, if any.</summary>
    public string? ActiveSuspension { get; private set; }

    public PermissionCommand? Decide(Alert alert, string branchId, SuspensionSettings settings)
    {
        if (alert.UserId is null || ActiveSuspension is not null || _commanded.Contains(alert.AlertId)) return null;
        var why = alert.SuspensionRequested ? SuspensionPolicy.Asks(settings, alert) : null;
        IReadOnlyList<Alert> behind = [alert];
        if (why is null && settings.Repeated is { } repeated && Repeated(alert, repeated, settings.NeverAlone) is { } many)
        {
            behind = many;
            why = $"{many.Count} alerts within {repeated.WithinDays} days at {repeated.MinSeverity} or worse (suspension.repeated)";
        }
        if (why is null) return null;
        var command = new PermissionCommand
        {
            CommandId = StableId.Of("cmd", "suspend", alert.UserId, alert.AlertId),
            Action = "suspend",
            UserId = alert.UserId,
            BranchId = branchId,
            Reason = behind.Count == 1
                ? $"{alert.Rule} ({alert.Severity}, score {alert.Score}): {why}. {alert.Explanation}"
                : $"{why}: " + string.Join("; ", behind.Select(a => $"{a.Rule} on {a.Day} ({a.Severity}, score {a.Score})")) + $". Latest: {alert.Explanation}",
            AlertIds = [.. behind.Select(a => a.AlertId)],
            IssuedAt = alert.EventTime,
            Notification = VerificationNotice.For(alert.UserId, branchId, behind),
        };
        ActiveSuspension = command.CommandId;
        _recent.Clear();
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

    /// <summary>The distinct alerts within the period once they reach the count, with at least one rule that may suspend alone; else null.</summary>
    private List<Alert>? Repeated(Alert alert, RepeatedAlerts r, IReadOnlyList<string> neverAlone)
    {
        if (!SuspensionPolicy.Counts(r, alert)) return null;
        var index = _recent.FindIndex(a => a.AlertId == alert.AlertId);
        if (index >= 0) _recent[index] = alert;
        else _recent.Add(alert);
        var since = alert.EventTime - TimeSpan.FromDays(r.WithinDays);
        _recent.RemoveAll(a => a.LastEventTime < since);
        if (_recent.Count < r.Alerts || _recent.TrueForAll(a => neverAlone.Contains(a.Rule))) return null;
        return [.. _recent.OrderBy(a => a.EventTime).ThenBy(a => a.AlertId, StringComparer.Ordinal)];
    }

    public void Save(StateWriter w)
    {
        w.Section("SuspensionTracker");
        w.WriteNullable(ActiveSuspension);
        w.Write(_commandedOrder, static (w, id) => w.Write(id));
        w.Write(_recent, AlertState.Write);
    }

    public void Restore(StateReader r)
    {
        r.Section("SuspensionTracker");
        ActiveSuspension = r.ReadNullableString();
        _commandedOrder.Clear();
        _commanded.Clear();
        foreach (var id in r.ReadList(static r => r.ReadString()))
        {
            _commandedOrder.Enqueue(id);
            _commanded.Add(id);
        }
        _recent.Clear();
        _recent.AddRange(r.ReadList(AlertState.Read));
    }
}
