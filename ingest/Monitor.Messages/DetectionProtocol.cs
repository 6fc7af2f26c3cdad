using Monitor.Contracts;
using Monitor.Models;

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
}

/// <summary>An officer reopened automatic suspension in a branch the safety valve had stopped.</summary>
public sealed record ReopenBranch(string BranchId);

/// <summary>Branches the safety valve had stopped before a restart; they stay stopped.</summary>
public sealed record BranchesShut(IReadOnlyList<string> BranchIds);

/// <summary>A user's share of a batch, in the batch's order.</summary>
public sealed record UserEvents(long BatchId, int Part, string UserId, IReadOnlyList<QueryLogEvent> Events) : IWithUserId, IEntityShare
{
    public DayEnd? End { get; init; }
}

/// <summary>A branch's share of a batch: its own users' events and those of the branches below it.</summary>
public sealed record BranchEvents(long BatchId, int Part, string BranchId, IReadOnlyList<QueryLogEvent> Events) : IWithBranchId, IEntityShare
{
    public DayEnd? End { get; init; }
}

/// <summary>An employee's share of a batch: every event naming the employee, whichever account it came from.</summary>
public sealed record EmployeeEvents(long BatchId, int Part, string EmployeeId, IReadOnlyList<QueryLogEvent> Events) : IWithEmployeeId, IEntityShare
{
    public DayEnd? End { get; init; }
}

/// <summary>A subject share's part of a batch: the successful queries on the subjects in that share.</summary>
public sealed record SubjectEvents(long BatchId, int Part, string Share, IReadOnlyList<QueryLogEvent> Events) : IWithSubjectShare, IEntityShare
{
    public DayEnd? End { get; init; }
}

/// <summary>An entity's reply for its share of a batch; failed events are named with why.</summary>
public sealed record PartDone(
    long BatchId,
    int Part,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<PermissionCommand> Commands,
    IReadOnlyList<(string EventId, string Reason)> Failed)
{
    /// <summary>Day windows the share closed, for training.</summary>
    public IReadOnlyList<ClosedWindow> Windows { get; init; } = [];
}

/// <summary>
/// Event time has passed the end of local day <paramref name="Day"/> (a day number) by the allowed lateness, at
/// <paramref name="At"/>: entities close what waited for that day, after the share's own events.
/// </summary>
public sealed record DayEnd(int Day, DateTimeOffset At);
