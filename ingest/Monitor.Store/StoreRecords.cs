using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>Who acts through the API: the key's name and its role (officer, analyst, auditor), or the monitor itself.</summary>
public sealed record Actor(string Name, string Role)
{
    public static readonly Actor Monitor = new("monitor", "system");
}

/// <summary>The lifecycle states of an alert: open → acknowledged → confirmed (a violation) or dismissed (a false positive).</summary>
public static class AlertStates
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Confirmed = "confirmed";
    public const string Dismissed = "dismissed";
    public static readonly IReadOnlyList<string> All = [Open, Acknowledged, Confirmed, Dismissed];
}

/// <summary>An alert's latest revision with where officers have taken it.</summary>
public sealed record StoredAlert(Alert Alert, string State, string? StateBy, DateTimeOffset? StateAt, string? StateReason);

/// <summary>A user's suspension by the monitor, and its end when an officer reinstated the user.</summary>
public sealed record Suspension(
    string UserId, string BranchId, string CommandId, DateTimeOffset Since, string Reason, bool Active,
    DateTimeOffset? EndedAt, string? EndedBy, string? EndedReason, string? ReinstateCommandId);

/// <summary>An officer's verdict on an alert, kept for the analysts' tuning.</summary>
public sealed record Label(string AlertId, string Rule, string EntityType, string EntityId, string Verdict, string? Reason, string By, DateTimeOffset At);

/// <summary>One line of the append-only audit log: who did what, to what, when and why.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Role, string Action, string Target, string? Reason, string? Detail);

/// <summary>A command the store knows, with whether it has reached the commands topic.</summary>
public sealed record StoredCommand(PermissionCommand Command, string Origin, bool Sent, DateTimeOffset RecordedAt);

/// <summary>Which alerts to list; null fields do not filter. Times compare with the alert's event time.</summary>
public sealed record AlertFilter
{
    public string? Rule { get; init; }
    public string? Branch { get; init; }
    public string? User { get; init; }
    public string? State { get; init; }
    public string? Severity { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 100;
}

/// <summary>The outcome of an officer's request: done (with the result), not found, or refused because of the current state.</summary>
public sealed record Change<T>(T? Value, string? NotFound = null, string? Conflict = null)
{
    public static Change<T> Done(T value) => new(value);
    public static Change<T> Missing(string why) => new(default, NotFound: why);
    public static Change<T> Refused(string why) => new(default, Conflict: why);
}

/// <summary>What a batch's outputs did to the store: the commands to send now, and the suspensions it refused as already in force.</summary>
public sealed record Recorded(IReadOnlyList<PermissionCommand> ToSend, IReadOnlyList<PermissionCommand> AlreadyInForce);
