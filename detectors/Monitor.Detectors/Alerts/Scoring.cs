namespace Monitor.Detectors.Alerts;

/// <summary>
/// The one 0–100 scale all rules share, so officers can sort a single queue: each severity owns a band
/// (low 20–39, medium 40–59, high 60–79, critical 80–100) and the finding's magnitude, or how often it
/// repeated that day, places the alert within its band.
/// </summary>
public static class Scoring
{
    public static int Score(Severity severity, double magnitude)
    {
        var (low, span) = severity switch
        {
            Severity.Low => (20, 19),
            Severity.Medium => (40, 19),
            Severity.High => (60, 19),
            _ => (80, 20),
        };
        return low + (int)Math.Round(span * Math.Clamp(magnitude, 0, 1));
    }

    /// <summary>Repetition as magnitude: 1 finding is 0, 64 or more are 1.</summary>
    public static double OfCount(int count) => count <= 1 ? 0 : Math.Min(1, Math.Log2(count) / 6);

    /// <summary>Excess over a threshold as magnitude: at the threshold 0, five times it or more 1.</summary>
    public static double OfRatio(double observed, double threshold) =>
        threshold <= 0 ? 1 : Math.Clamp((observed / threshold - 1) / 4, 0, 1);
}
