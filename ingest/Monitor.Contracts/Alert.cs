using System.Text.Json.Serialization;

namespace Monitor.Contracts;

/// <summary>
/// One finding as security officers see it on <c>credit.alerts</c>. There is one alert per rule, entity and
/// local day; later findings publish a new revision of the same <see cref="AlertId"/> rather than a new alert.
/// </summary>
public sealed record Alert
{
    [JsonPropertyName("alertId")] public required string AlertId { get; init; }
    [JsonPropertyName("revision")] public required int Revision { get; init; }
    [JsonPropertyName("rule")] public required string Rule { get; init; }
    [JsonPropertyName("entityType")] public required string EntityType { get; init; }
    [JsonPropertyName("entityId")] public required string EntityId { get; init; }
    [JsonPropertyName("userId")] public string? UserId { get; init; }
    [JsonPropertyName("branchId")] public string? BranchId { get; init; }
    [JsonPropertyName("severity")] public required string Severity { get; init; }
    [JsonPropertyName("score")] public required int Score { get; init; }
    [JsonPropertyName("day")] public required string Day { get; init; }
    [JsonPropertyName("eventTime")] public required DateTimeOffset EventTime { get; init; }
    [JsonPropertyName("lastEventTime")] public required DateTimeOffset LastEventTime { get; init; }
    [JsonPropertyName("count")] public required int Count { get; init; }
    /// <summary>What was seen and what was expected, in English (the field consumers read before there were two languages).</summary>
    [JsonPropertyName("explanation")] public required string Explanation { get; init; }

    /// <summary>
    /// The same explanation in Chinese and English, rendered from one template per rule (docs/outputs.md); the
    /// <c>en</c> text equals <see cref="Explanation"/>. Absent on alerts written before it existed.
    /// </summary>
    [JsonPropertyName("explanations")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Localized? Explanations { get; init; }

    /// <summary>The explanation in <paramref name="tag"/>: Chinese unless English is asked for, English where there is no other.</summary>
    public string ExplanationIn(string? tag) => Explanations?.In(tag) ?? Explanation;

    [JsonPropertyName("evidence")] public required IReadOnlyList<string> Evidence { get; init; }
    [JsonPropertyName("suspend")] public bool SuspensionRequested { get; init; }

    /// <summary>
    /// Event time when the monitor first raised this alert (its first revision), the same on every revision: the event
    /// being judged, or the day end that closed a window. Time to detect is measured to it (docs/tuning.md).
    /// </summary>
    [JsonPropertyName("detectedAt")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTimeOffset? DetectedAt { get; init; }

    /// <summary>
    /// The case the alert belongs to (one cause, one case): its branch-day's when a surge of its whole branch explains it,
    /// else its user-day's (its entity-day's when it names no account). Deterministic; the officers' API lists cases
    /// (<c>GET /api/cases</c>). Always set by the monitor; absent only on alerts recorded before cases existed, which the
    /// officers' API groups by the same rule itself (Monitor.Api's <c>AlertCases</c>).
    /// </summary>
    [JsonPropertyName("caseId")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CaseId { get; init; }

    /// <summary>
    /// The candidate settings' name when the alert comes from a flight (<c>monitor run --candidate</c>, docs/tuning.md):
    /// such alerts go to the candidate topic only, never suspend and never reach the officers. Absent for live alerts.
    /// </summary>
    [JsonPropertyName("flight")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Flight { get; init; }

    /// <summary>
    /// On a flight's alert only: the suspension the candidate's settings would have ordered with it, which the flight
    /// withheld (never published as a command), so that <c>monitor backtest --flight</c> can say which suspensions the
    /// candidate would change. Absent for live alerts and for a flight's alerts that would suspend nobody.
    /// </summary>
    [JsonPropertyName("withheldCommand")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public PermissionCommand? WithheldCommand { get; init; }
}

/// <summary>
/// An order for the bank's access-control system. <see cref="CommandId"/> is derived from the user and the
/// incident, so carrying the same command out twice changes nothing.
/// </summary>
public sealed record PermissionCommand
{
    [JsonPropertyName("commandId")] public required string CommandId { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("userId")] public required string UserId { get; init; }
    [JsonPropertyName("branchId")] public required string BranchId { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }

    /// <summary>The reason in Chinese and English (<c>en</c> equals <see cref="Reason"/>); absent on commands written before it existed.</summary>
    [JsonPropertyName("reasons")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Localized? Reasons { get; init; }

    [JsonPropertyName("alertIds")] public required IReadOnlyList<string> AlertIds { get; init; }
    [JsonPropertyName("issuedAt")] public required DateTimeOffset IssuedAt { get; init; }
    [JsonPropertyName("notification")] public Notification? Notification { get; init; }
}

/// <summary>
/// What the user's branch is told with a command: the standard asks whoever suspends a user to have the user's
/// department verify, so the notice says which branch and exactly what it must check.
/// </summary>
public sealed record Notification
{
    [JsonPropertyName("branchId")] public required string BranchId { get; init; }
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("verify")] public required IReadOnlyList<string> Verify { get; init; }

    /// <summary>
    /// The notice in Chinese and English (<c>en</c> equals <see cref="Subject"/> and <see cref="Verify"/>), for the
    /// branch's people, who read Chinese; absent on commands written before it existed.
    /// </summary>
    [JsonPropertyName("texts")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public NoticeTexts? Texts { get; init; }

    /// <summary>The notice in <paramref name="tag"/>: Chinese unless English is asked for, English where there is no other.</summary>
    public NoticeText In(string? tag) => Texts?.In(tag) ?? new NoticeText { Subject = Subject, Verify = Verify };
}

/// <summary>A rejected input line of a replay file, with why it was rejected; Kafka dead letters carry the same in headers.</summary>
public sealed record DeadLetter
{
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("position")] public required long Position { get; init; }
    [JsonPropertyName("original")] public required string Original { get; init; }
}
