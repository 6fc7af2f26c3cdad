using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>Builds findings from an event, so every rule fills the same fields the same way.</summary>
internal static class Findings
{
    public static Finding OnUser(in EventContext c, string rule, Severity severity, Phrase explanation, double magnitude = 0) =>
        On(c, rule, EntityKind.User, c.Event.UserId, severity, explanation, magnitude);

    public static Finding On(in EventContext c, string rule, EntityKind kind, string entityId, Severity severity, Phrase explanation, double magnitude = 0, string? period = null) =>
        new(rule, kind, entityId, kind == EntityKind.Branch ? null : c.Event.UserId, c.Event.BranchId, severity, c.Event.OccurredAt, c.Event.EventId, explanation)
        {
            Magnitude = magnitude,
            Period = period,
            BranchSurge = c.Event.BranchSurge,
        };

    /// <summary>A share as officers write it: "64%".</summary>
    public static string Pct(double share) => $"{Math.Round(share * 100):0}%";

    /// <summary>A local date as a day number, for compact day arithmetic.</summary>
    public static int DayNumber(NodaTime.LocalDate d) => d.ToDateOnly().DayNumber;
}
