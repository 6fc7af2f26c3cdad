using Monitor.Contracts;

namespace Monitor.Cli.Commands;

/// <summary>One line per published item, the same in <c>run</c> and in the demo's plain output; subject ids are redacted (<see cref="LogRedaction"/>).</summary>
internal static class ReportLines
{
    public static string Alert(Alert a) =>
        $"ALERT   {a.Severity,-8} {a.Score,3} {a.Rule,-27} {a.EntityType,-6} {a.EntityId,-8} {LogRedaction.Subjects(a.Explanation)}";

    public static string Command(PermissionCommand c) => $"COMMAND {c.Action} user {c.UserId} at {c.BranchId} [{c.CommandId}]: {LogRedaction.Subjects(c.Reason)}";

    public static string DeadLetter(DeadLetter d) => $"DLQ     {d.Source}@{d.Position}: {LogRedaction.Subjects(d.Reason)}";
}
