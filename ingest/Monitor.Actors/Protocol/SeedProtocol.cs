using Monitor.Contracts;

namespace Monitor.Actors;

/// <summary>Accounts of the bank's directory for one user's actor (normally one); the reply is <see cref="AccountsSeeded"/> once applied.</summary>
public sealed record UserSeed(string UserId, IReadOnlyList<AccountSeed> Accounts) : IWithUserId, IAccountSeeds;

/// <summary>The accounts of the bank's directory one person holds, for the employee's actor; the reply is <see cref="AccountsSeeded"/>.</summary>
public sealed record EmployeeSeed(string EmployeeId, IReadOnlyList<AccountSeed> Accounts) : IWithEmployeeId, IAccountSeeds;

/// <summary>A seed for an entity actor: what every entity receives, whichever the entity.</summary>
public interface IAccountSeeds
{
    IReadOnlyList<AccountSeed> Accounts { get; }
}

/// <summary>An entity applied <paramref name="Count"/> accounts of a seed.</summary>
public sealed record AccountsSeeded(int Count);

/// <summary>The branch hierarchy of the bank's directory (branch, parent) for the coordinator; the reply is <see cref="AccountsSeeded"/> with the pairs taken.</summary>
public sealed record SeedBranches(IReadOnlyList<(string BranchId, string ParentBranchId)> Branches);
