using Monitor.Contracts;

namespace Monitor.Cli.Commands;

/// <summary>One line per published item, the same in <c>run</c> and in the demo's plain output.</summary>
internal static class ReportLines
{
    public static string Alert(Alert a) =>
        $"ALERT   {a.Severity,-8} {a.Score,3} {a.Rule,-27} {a.EntityType,-6} {a.EntityId,-8} {a.Explanation}";

    public static string Command(PermissionCommand c) => $"COMMAND {c.Action} user {c.UserId} at {c.BranchId} [{c.CommandId}]: {c.Reason}";

    public static string DeadLetter(DeadLetter d) => $"DLQ     {d.Source}@{d.Position}: {d.Reason}";
}
