using Monitor.Contracts;

namespace Monitor.Cli.Commands;

/// <summary>
/// One line per published item, the same in <c>run</c> and in the demo's plain output; subject ids are redacted
/// (<see cref="LogRedaction"/>) and anything that could hide a line break or a terminal escape is shown escaped
/// (<see cref="Printable"/>), so no value can forge a line.
/// </summary>
internal static class ReportLines
{
    /// <summary>The alert's line; its explanation in English (the log's language) unless <paramref name="lang"/> asks for Chinese.</summary>
    public static string Alert(Alert a, string lang = Locales.En) =>
        Printable.Escape($"ALERT   {a.Severity,-8} {a.Score,3} {a.Rule,-27} {a.EntityType,-6} {LogRedaction.Entity(a.EntityType, a.EntityId),-8} {LogRedaction.Subjects(a.ExplanationIn(lang))}");

    /// <summary>The command's line; its reason in English unless <paramref name="lang"/> asks for Chinese.</summary>
    public static string Command(PermissionCommand c, string lang = Locales.En) =>
        Printable.Escape($"COMMAND {c.Action} user {c.UserId} at {c.BranchId} [{c.CommandId}]: {LogRedaction.Subjects(c.Reasons?.In(lang) ?? c.Reason)}");

    public static string DeadLetter(DeadLetter d) => Printable.Escape($"DLQ     {d.Source}@{d.Position}: {LogRedaction.Subjects(d.Reason)}");
}
