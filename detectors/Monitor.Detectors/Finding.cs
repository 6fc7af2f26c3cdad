namespace Monitor.Detectors;

/// <summary>Which actor-owned entity a finding is about: a credit-system user or a branch.</summary>
public enum EntityKind { User, Branch }

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
    string Explanation)
{
    /// <summary>
    /// The period the finding is folded into: null means the local day of <see cref="EventTime"/>; monthly
    /// thresholds use the month ("2026-04") so that one crossing is one alert.
    /// </summary>
    public string? Period { get; init; }

    /// <summary>0 to 1: how far beyond the threshold this finding is; raises the score within its severity band.</summary>
    public double Magnitude { get; init; }
}
