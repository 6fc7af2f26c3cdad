using Monitor.Contracts;

namespace Monitor.Ingest;

/// <summary>What one processed batch published, handed to observers (the live view, tests) after publication.</summary>
public sealed record BatchReport(
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<PermissionCommand> Commands,
    IReadOnlyList<DeadLetter> DeadLetters,
    DateTimeOffset? LatestEventTime)
{
    /// <summary>The batch's accepted events (the officers' API keeps each user's recent ones).</summary>
    public IReadOnlyList<QueryLogEvent> Events { get; init; } = [];

    /// <summary>Branches whose automatic suspension the safety valve stopped in this batch (the notifications tell the officers).</summary>
    public IReadOnlyList<string> Shut { get; init; } = [];
}
