using Monitor.Contracts;
using Monitor.Detectors.Pipeline;

namespace Monitor.Actors;

/// <summary>Marks a message for the actor of one credit-system user.</summary>
public interface IWithUserId
{
    string UserId { get; }
}

/// <summary>Marks a message for the actor of one branch (or parent branch).</summary>
public interface IWithBranchId
{
    string BranchId { get; }
}

/// <summary>Marks a message for the actor of one person behind accounts (employeeId).</summary>
public interface IWithEmployeeId
{
    string EmployeeId { get; }
}

/// <summary>Marks a message for the actor of one share of subjects (see SubjectMonitor.ShareOf).</summary>
public interface IWithSubjectShare
{
    string Share { get; }
}

/// <summary>An entity's share of a batch: what every entity actor receives, whatever the entity.</summary>
public interface IEntityShare
{
    long BatchId { get; }
    int Part { get; }
    IReadOnlyList<QueryLogEvent> Events { get; }

    /// <summary>A day that ended, when this share also closes that day's windows; null most of the time.</summary>
    DayClose? End { get; }
}
