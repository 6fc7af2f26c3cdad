using Monitor.Contracts;

namespace Monitor.Cli.Commands;

/// <summary>
/// One line per published item, the same in <c>run</c> and in the demo's plain output; subject ids are redacted
/// (<see cref="LogRedaction"/>) and anything that could hide a line break or a terminal escape is shown escaped
/// (<see cref="Printable"/>), so no value can forge a line.
/// </summary>
internal static class ReportLines
{
    public static string Alert(Alert a) =>
        Printable.Escape($"ALERT   {a.Severity,-8} {a.Score,3} {a.Rule,-27} {a.EntityType,-6} {LogRedaction.Entity(a.EntityType, a.EntityId),-8} {LogRedaction.Subjects(a.Explanation)}");

    public static string Command(PermissionCommand c) =>
        Printable.Escape($"COMMAND {c.Action} user {c.UserId} at {c.BranchId} [{c.CommandId}]: {LogRedaction.Subjects(c.Reason)}");

    public static string DeadLetter(DeadLetter d) => Printable.Escape($"DLQ     {d.Source}@{d.Position}: {LogRedaction.Subjects(d.Reason)}");
}
