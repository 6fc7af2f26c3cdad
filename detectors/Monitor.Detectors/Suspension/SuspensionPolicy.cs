using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// Whether one alert, on its own, asks for its user's suspension, and why in words: by rule (the configured
/// rules at their severity or worse) or by score (any rule except those that never suspend alone). Repeated
/// alerts are judged per user by <see cref="SuspensionDesk"/>, which remembers them.
/// </summary>
public static class SuspensionPolicy
{
    /// <summary>The reason the alert asks for suspension, or null when it does not.</summary>
    public static Phrase? Asks(SuspensionSettings s, Alert a)
    {
        if (a.UserId is null || a.EntityType != "user") return null;
        var severity = SeverityNames.Parse(a.Severity);
        if (severity >= SeverityNames.Parse(s.MinSeverity) && s.Rules.Contains(a.Rule))
            return Phrase.Of("policy.rules", Catalog.Rule(a.Rule), Catalog.Wire(a.Severity));
        if (s.MinScore is { } min && a.Score >= min && !s.NeverAlone.Contains(a.Rule))
            return Phrase.Of("policy.minScore", a.Score, min);
        return null;
    }

    /// <summary>Whether the alert counts towards the repeated-alerts policy.</summary>
    public static bool Counts(RepeatedAlerts r, Alert a) => a.UserId is not null && a.EntityType == "user" && SeverityNames.Parse(a.Severity) >= SeverityNames.Parse(r.MinSeverity);
}
