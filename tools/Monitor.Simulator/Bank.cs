using Monitor.Contracts;

namespace Monitor.Simulator;

/// <summary>A simulated account: who it is, where it sits and what it does all day.</summary>
public sealed record SimUser(
    string UserId,
    string EmployeeId,
    UserRole Role,
    string BranchId,
    string? ParentBranchId,
    string TerminalId,
    string Ip,
    Channel Channel,
    double DailyQueries);

/// <summary>A simulated branch in the hierarchy head office → branch (分行) → sub-branch (支行).</summary>
public sealed record SimBranch(string BranchId, string? ParentBranchId, int Level);

/// <summary>The bank the simulator runs: branches and the accounts in them, built once from the seed.</summary>
public sealed record Bank(IReadOnlyList<SimBranch> Branches, IReadOnlyList<SimUser> Users)
{
    public IEnumerable<SimUser> Operators => Users.Where(u => u.Role == UserRole.QueryOperator && u.Channel == Channel.Counter);
    public IEnumerable<SimUser> Admins => Users.Where(u => u.Role is UserRole.UserAdmin or UserRole.GeneralAdmin or UserRole.SuperAdmin);
}
