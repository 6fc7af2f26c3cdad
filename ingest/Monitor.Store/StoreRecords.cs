using System.Text.Json.Serialization;
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

/// <summary>
/// An alert's latest revision with where officers have taken it, and, as the API answers it, the directory's names of its
/// branch, its account's holder and (an employee's alert) its employee (<see cref="NameBook"/>; absent when unnamed).
/// </summary>
public sealed record StoredAlert(Alert Alert, string State, string? StateBy, DateTimeOffset? StateAt, string? StateReason)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BranchName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UserName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? EmployeeName { get; init; }

    /// <summary>This alert with the names <paramref name="names"/> has for its ids.</summary>
    public StoredAlert Named(NameBook names) => this with
    {
        BranchName = names.Branch(Alert.BranchId),
        UserName = names.User(Alert.UserId),
        EmployeeName = Alert.EntityType == "employee" ? names.Employee(Alert.EntityId) : null,
    };
}

/// <summary>A user's suspension by the monitor, and its end when an officer reinstated the user; as answered, with the directory's names.</summary>
public sealed record Suspension(
    string UserId, string BranchId, string CommandId, DateTimeOffset Since, string Reason, bool Active,
    DateTimeOffset? EndedAt, string? EndedBy, string? EndedReason, string? ReinstateCommandId)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BranchName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UserName { get; init; }

    public Suspension Named(NameBook names) => this with { BranchName = names.Branch(BranchId), UserName = names.User(UserId) };
}

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

    /// <summary>Only alerts of these branches (a branch officer's scope); null: any.</summary>
    public IReadOnlySet<string>? Branches { get; init; }
    public string? User { get; init; }

    /// <summary>Only alerts about this kind of entity (user, branch, employee, terminal, subject).</summary>
    public string? EntityType { get; init; }

    /// <summary>Only alerts about this entity (with <see cref="EntityType"/>, or of any kind).</summary>
    public string? EntityId { get; init; }
    public string? State { get; init; }
    public string? Severity { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 100;

    /// <summary>Where the previous page ended (<see cref="Page{T}.Next"/>); null: from the newest.</summary>
    public string? Cursor { get; init; }
}

/// <summary>
/// One page of a list: its items, how many the whole list holds (every page of the same filter), and the cursor
/// of the next page (null on the last one). A cursor is opaque: it names where the page ended, so rows added in
/// between neither repeat nor slip through.
/// </summary>
public sealed record Page<T>(List<T> Items, long Total, string? Next);

/// <summary>The outcome of an officer's request: done (with the result), not found, or refused because of the current state.</summary>
public sealed record Change<T>(T? Value, string? NotFound = null, string? Conflict = null)
{
    public static Change<T> Done(T value) => new(value);
    public static Change<T> Missing(string why) => new(default, NotFound: why);
    public static Change<T> Refused(string why) => new(default, Conflict: why);
}

/// <summary>What a batch's outputs did to the store: the commands to send now, and the suspensions it refused as already in force.</summary>
public sealed record Recorded(IReadOnlyList<PermissionCommand> ToSend, IReadOnlyList<PermissionCommand> AlreadyInForce);

/// <summary>One audit row as stored, every column as its text, for hashing and verification.</summary>
public sealed record AuditRow(long Seq, string At, string Actor, string Role, string Action, string Target, string? Reason, string? Detail, string? Prev = null, string? Hash = null);

/// <summary>The first row that does not fit the chain, and why.</summary>
public sealed record AuditBreak(long Id, string Reason);

/// <summary>
/// The outcome of checking the audit log's chain: intact or not, how many rows, the first broken row, and the
/// head hash when intact (an auditor who notes it elsewhere can later tell the whole log was not rewritten).
/// </summary>
public sealed record AuditVerification(bool Intact, long Rows, AuditBreak? FirstBroken, string? Head)
{
    /// <summary>The verdict in one line, for the console and the CLI.</summary>
    public string Line => Intact
        ? $"audit log intact: {Rows} rows, chain head {Head}"
        : $"audit log BROKEN at row {FirstBroken!.Id} ({Rows} rows): {FirstBroken.Reason}";
}
