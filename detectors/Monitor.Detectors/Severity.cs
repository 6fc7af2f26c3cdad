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

    /// <summary>The severity of a wire name (settings validate the names; anything else counts as critical).</summary>
    public static Severity Parse(string name) => name switch
    {
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        _ => Severity.Critical,
    };
}
