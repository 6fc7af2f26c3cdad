using System.Text.Json.Serialization;

namespace Monitor.Contracts;

/// <summary>
/// The event exactly as it travels in JSON: every field a string, so that the validator, not the serializer,
/// decides what is acceptable and can name the field in its message.
/// </summary>
public sealed class WireEvent
{
    [JsonPropertyName("eventId")] public string? EventId { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("occurredAt")] public string? OccurredAt { get; set; }
    [JsonPropertyName("userId")] public string? UserId { get; set; }
    [JsonPropertyName("employeeId")] public string? EmployeeId { get; set; }
    [JsonPropertyName("userRole")] public string? UserRole { get; set; }
    [JsonPropertyName("branchId")] public string? BranchId { get; set; }
    [JsonPropertyName("parentBranchId")] public string? ParentBranchId { get; set; }
    [JsonPropertyName("terminalId")] public string? TerminalId { get; set; }
    [JsonPropertyName("ip")] public string? Ip { get; set; }
    [JsonPropertyName("channel")] public string? Channel { get; set; }
    [JsonPropertyName("subjectId")] public string? SubjectId { get; set; }
    [JsonPropertyName("subjectType")] public string? SubjectType { get; set; }
    [JsonPropertyName("purpose")] public string? Purpose { get; set; }
    [JsonPropertyName("authorizationId")] public string? AuthorizationId { get; set; }
    [JsonPropertyName("authorizedAt")] public string? AuthorizedAt { get; set; }
    [JsonPropertyName("outcome")] public string? Outcome { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("actorUserId")] public string? ActorUserId { get; set; }
    [JsonPropertyName("registerId")] public string? RegisterId { get; set; }
    [JsonPropertyName("approvedBy")] public string? ApprovedBy { get; set; }
    [JsonPropertyName("approvedAt")] public string? ApprovedAt { get; set; }
    [JsonPropertyName("effectiveAt")] public string? EffectiveAt { get; set; }
}
