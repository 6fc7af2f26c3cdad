using System.Text.Json.Serialization;

namespace Monitor.Contracts;

/// <summary>
/// One user's closed local day as the branch's daily verification (日核查, 102号文) sees it: what the user read,
/// by purpose; how many of those reads needed the subject's authorization and had one; reads outside working hours;
/// logins and failed logins; changes to the account; and a reproducible sample of the day's reports for an officer
/// to check by hand. The user monitor writes it once the day is over (its end plus the allowed lateness), so it
/// never changes afterwards; the alert store keeps one per user, branch and day.
/// </summary>
public sealed record UserDay
{
    [JsonPropertyName("userId")] public required string UserId { get; init; }
    [JsonPropertyName("branchId")] public required string BranchId { get; init; }
    [JsonPropertyName("employeeId")] public string? EmployeeId { get; init; }

    /// <summary>The branch above <see cref="BranchId"/> as the events named it: whose officers a late sheet goes to.</summary>
    [JsonPropertyName("parentBranchId")] public string? ParentBranchId { get; init; }

    /// <summary>The local day, yyyy-MM-dd.</summary>
    [JsonPropertyName("day")] public required string Day { get; init; }

    /// <summary>Reports delivered, by purpose (its wire name; "unstated" without one).</summary>
    [JsonPropertyName("reads")] public required IReadOnlyDictionary<string, int> Reads { get; init; }

    /// <summary>Queries refused or failed (no report delivered).</summary>
    [JsonPropertyName("refused")] public int Refused { get; init; }

    /// <summary>Reports whose purpose needs the subject's written authorization.</summary>
    [JsonPropertyName("needingAuthorization")] public int NeedingAuthorization { get; init; }

    /// <summary>Of <see cref="NeedingAuthorization"/>, those that named an authorization.</summary>
    [JsonPropertyName("authorized")] public int Authorized { get; init; }

    /// <summary>Queries outside the branch's working hours (what OFF_HOURS judges).</summary>
    [JsonPropertyName("offHours")] public int OffHours { get; init; }

    [JsonPropertyName("logins")] public int Logins { get; init; }
    [JsonPropertyName("loginFailures")] public int LoginFailures { get; init; }
    [JsonPropertyName("accountChanges")] public int AccountChanges { get; init; }

    /// <summary>The spot checks: delivered reports drawn by their event id at the settings' rate (the same ones on every run).</summary>
    [JsonPropertyName("sample")] public IReadOnlyList<SampledQuery> Sample { get; init; } = [];

    /// <summary>
    /// The day's reconciliation with the approval register (查询审批登记簿, REGISTER_MISMATCH); null when the register
    /// delivered no entries for the branch that day (no feed, or the feed failed): the sheet says so.
    /// </summary>
    [JsonPropertyName("register")] public RegisterDay? Register { get; init; }

    [JsonIgnore] public int ReadsTotal => Reads.Values.Sum();
}

/// <summary>
/// One user-day against the approval register: reads that needed an entry, entries approved that day, and reads left
/// without an entry. (An entry no read used is known only when its window ends, often the next day: it is a finding
/// on the sheet, not a figure here.)
/// </summary>
public sealed record RegisterDay(
    [property: JsonPropertyName("reads")] int Reads,
    [property: JsonPropertyName("entries")] int Entries,
    [property: JsonPropertyName("withoutEntry")] int WithoutEntry);

/// <summary>A delivered report drawn for a spot check: what the officer compares with the approval register.</summary>
public sealed record SampledQuery(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("occurredAt")] DateTimeOffset OccurredAt,
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("subjectType")] string? SubjectType,
    [property: JsonPropertyName("subjectId")] string? SubjectId,
    [property: JsonPropertyName("authorizationId")] string? AuthorizationId);
