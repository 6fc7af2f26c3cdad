using Monitor.Contracts;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// What the entities of one segment of a batch get (see <see cref="BatchPlanner.Plan"/>): the parts keyed by user, branch, employee and subject share (each part's
/// events in batch order, parts in the order first reached), and the days that ended with whom to tell.
/// </summary>
public sealed class BatchPlan
{
    public Dictionary<string, List<QueryLogEvent>> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<QueryLogEvent>> Branches { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<QueryLogEvent>> Employees { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<QueryLogEvent>> Subjects { get; } = new(StringComparer.Ordinal);

    /// <summary>The accepted event (its index among the screened batch's accepted ones) where the next segment starts.</summary>
    public int Next { get; internal set; }

    /// <summary>The later day the segment stopped before, for the models to be retrained through the day before it (null: it did not).</summary>
    public int? Reaches { get; internal set; }

    /// <summary>The days event time left behind with this segment (null when none).</summary>
    public EndedDays? Ended { get; internal set; }

    public int Parts => Users.Count + Branches.Count + Employees.Count + Subjects.Count;

    /// <summary>The day end a user's part carries, if the user was active on an ended day.</summary>
    public EndedDays? EndForUser(string userId) => Ended is { } e && e.Users.Contains(userId) ? e : null;

    /// <summary>The day end an employee's part carries, if the employee waits for day ends (a leaver).</summary>
    public EndedDays? EndForEmployee(string employeeId) => Ended is { } e && e.Employees.Contains(employeeId) ? e : null;

    /// <summary>The day end a branch's part carries, if the branch was active on an ended day.</summary>
    public EndedDays? EndForBranch(string branchId) => Ended is { } e && e.Branches.Contains(branchId) ? e : null;
}
