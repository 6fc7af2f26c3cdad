namespace Monitor.Detectors;

/// <summary>
/// What a finding is about: the account, its branch, the person behind accounts, a terminal, or the subject
/// whose report many accounts read.
/// </summary>
public enum EntityKind { User, Branch, Employee, Terminal, Subject }

/// <summary>The entity types as they appear on alerts and in suppressions.</summary>
public static class EntityTypes
{
    public static string Of(EntityKind kind) => kind switch
    {
        EntityKind.User => "user",
        EntityKind.Branch => "branch",
        EntityKind.Employee => "employee",
        EntityKind.Terminal => "terminal",
        _ => "subject",
    };
}

/// <summary>
/// One rule firing on one event. Findings are raw material: the <see cref="Alerts.AlertBook"/> folds those of the
/// same rule, entity and day into one alert.
/// </summary>
public sealed record Finding(
    string Rule,
    EntityKind EntityKind,
    string EntityId,
    string? UserId,
    string? BranchId,
    Severity Severity,
    DateTimeOffset EventTime,
    string EventId,
    Texts.Phrase Text)
{
    /// <summary>The explanation in English (<see cref="Text"/> renders it in every language).</summary>
    public string Explanation => Text.En;

    /// <summary>
    /// The period the finding is folded into: null means the local day of <see cref="EventTime"/>; monthly
    /// thresholds use the month ("2026-04") so that one crossing is one alert.
    /// </summary>
    public string? Period { get; init; }

    /// <summary>0 to 1: how far beyond the threshold this finding is; raises the score within its severity band.</summary>
    public double Magnitude { get; init; }

    /// <summary>
    /// How far the rest of the user's branch was above the rest of the bank when this was found (1: not): a surge of the
    /// whole branch is one cause, and <see cref="Alerts.CaseLinker"/> puts the finding's alert in the branch-day's case.
    /// </summary>
    public double BranchSurge { get; init; } = 1;
}
