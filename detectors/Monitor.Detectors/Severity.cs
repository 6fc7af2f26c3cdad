namespace Monitor.Detectors;

/// <summary>How urgently a person must look; also the base of the 0–100 score (see <see cref="Alerts.Scoring"/>).</summary>
public enum Severity { Low, Medium, High, Critical }

/// <summary>Wire names of severities.</summary>
public static class SeverityNames
{
    public static string Of(Severity s) => s switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        _ => "critical",
    };
}
