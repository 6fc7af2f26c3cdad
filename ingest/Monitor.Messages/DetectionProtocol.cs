using Monitor.Contracts;

namespace Monitor.Messages;

/// <summary>An accepted event with where it came from: the source (Kafka partition, or 0 for a file) orders its watermark.</summary>
public sealed record IngestedEvent(QueryLogEvent Event, int Source);

/// <summary>A batch of events for the detection graph; the reply is <see cref="BatchProcessed"/> once every event is judged.</summary>
public sealed record ProcessBatch(long BatchId, IReadOnlyList<IngestedEvent> Events);

/// <summary>An event the graph would not judge, by its index in the batch, with the reason for the dead-letter topic.</summary>
public sealed record RejectedEvent(int Index, string Reason);

/// <summary>
/// The outcome of a batch: the alert revisions and commands to publish, the events refused, and how many
/// were redeliveries. Offsets of the batch may be committed once these outputs are published.
/// </summary>
public sealed record BatchProcessed(
    long BatchId,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<PermissionCommand> Commands,
    IReadOnlyList<RejectedEvent> Rejected,
    int Duplicates)
{
    /// <summary>Branches whose automatic suspension the safety valve stopped in this batch.</summary>
    public IReadOnlyList<string> Shut { get; init; } = [];

    /// <summary>Indices of the events the graph accepted (neither redelivered nor refused), ascending: only these count and are shown.</summary>
    public IReadOnlyList<int> Accepted { get; init; } = [];

    /// <summary>Users' local days this batch closed (the day's end plus the allowed lateness passed), for the daily verification sheets.</summary>
    public IReadOnlyList<UserDay> Days { get; init; } = [];
}

/// <summary>An officer reopened automatic suspension in a branch the safety valve had stopped.</summary>
public sealed record ReopenBranch(string BranchId);

/// <summary>Branches the safety valve had stopped before a restart; they stay stopped.</summary>
public sealed record BranchesShut(IReadOnlyList<string> BranchIds);
