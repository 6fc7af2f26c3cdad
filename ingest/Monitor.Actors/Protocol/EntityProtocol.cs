using Monitor.Contracts;
using Monitor.Detectors.Pipeline;
using Monitor.Models;

namespace Monitor.Actors;

/// <summary>A user's share of a batch, in the batch's order.</summary>
public sealed record UserEvents(long BatchId, int Part, string UserId, IReadOnlyList<QueryLogEvent> Events) : IWithUserId, IEntityShare
{
    public DayClose? End { get; init; }
}

/// <summary>A branch's share of a batch: its own users' events and those of the branches below it.</summary>
public sealed record BranchEvents(long BatchId, int Part, string BranchId, IReadOnlyList<QueryLogEvent> Events) : IWithBranchId, IEntityShare
{
    public DayClose? End { get; init; }
}

/// <summary>An employee's share of a batch: every event naming the employee, whichever account it came from.</summary>
public sealed record EmployeeEvents(long BatchId, int Part, string EmployeeId, IReadOnlyList<QueryLogEvent> Events) : IWithEmployeeId, IEntityShare
{
    public DayClose? End { get; init; }
}

/// <summary>A subject share's part of a batch: the successful queries on the subjects in that share.</summary>
public sealed record SubjectEvents(long BatchId, int Part, string Share, IReadOnlyList<QueryLogEvent> Events) : IWithSubjectShare, IEntityShare
{
    public DayClose? End { get; init; }
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

    /// <summary>Users' local days the share closed, for the daily verification sheets.</summary>
    public IReadOnlyList<UserDay> Days { get; init; } = [];

    /// <summary>
    /// The entity, on another node, no longer holds the state it built in this term (cluster mode): nothing was judged,
    /// and the batch fails so the leading node begins a new term from the last checkpoint.
    /// </summary>
    public bool Lost { get; init; }
}
