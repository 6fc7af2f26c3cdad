namespace Monitor.Messages;

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
