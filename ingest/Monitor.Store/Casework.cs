namespace Monitor.Store;

/// <summary>An officer's note on an alert: what was checked, who was called. Notes are never edited; a later one corrects an earlier one.</summary>
public sealed record AlertNote(long Id, string AlertId, string Text, string By, DateTimeOffset At);

/// <summary>Who works an alert now: the officer it was given to, by whom and when (the last assignment stands).</summary>
public sealed record Assignment(string AlertId, string Officer, string By, DateTimeOffset At);

/// <summary>How many alerts of a rule a local day raised: the analysts' view of a rule over time.</summary>
public sealed record RuleDay(string Day, string Rule, long Alerts);

/// <summary>A user's reads on one closed local day at one branch, from the day's figures the sheets are made of.</summary>
public sealed record UserReads(string Day, string BranchId, int Reads);

/// <summary>
/// Which audit rows an auditor looks for: a time range (<c>From</c> inclusive, <c>To</c> exclusive), the actor and
/// the action exactly, the target by its start (a user, an alert, a branch's sheets <c>SB0101/</c>); rows before
/// <c>Before</c> (a sequence number, for the next page), newest first, at most <c>Limit</c>.
/// </summary>
public sealed record AuditQuery
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? Target { get; init; }
    public long? Before { get; init; }
    public int Limit { get; init; } = 100;
}

/// <summary>A page of the audit log found by an <see cref="AuditQuery"/>, and how many rows match in all.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long Total);
