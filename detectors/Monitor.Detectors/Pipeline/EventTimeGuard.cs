using Monitor.Contracts;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Judges an event's time against the others from the same source (a Kafka partition, a replay file):
/// too late for the allowed lateness, implausibly old, ahead of the clock, or a jump far beyond the rest.
/// A rejected event goes to the dead-letter topic with the reason; it never moves the watermark, so one
/// absurd timestamp cannot make the good events that follow look late.
/// </summary>
public sealed class EventTimeGuard(DetectionSettings settings)
{
    private readonly Dictionary<int, DateTimeOffset> _watermarks = [];

    /// <summary>Null when the event is acceptable (and the source's watermark advanced), else the reason.</summary>
    public string? Check(QueryLogEvent e, int source, DateTimeOffset now)
    {
        var t = e.OccurredAt;
        if (t < settings.EarliestPlausible)
            return $"implausible time: occurredAt {EventJson.FormatTime(t)} is before {EventJson.FormatTime(settings.EarliestPlausible)}";
        if (t > now.AddMinutes(settings.MaxAheadOfClockMinutes))
            return $"implausible time: occurredAt {EventJson.FormatTime(t)} is more than {settings.MaxAheadOfClockMinutes} min ahead of the clock";
        if (_watermarks.TryGetValue(source, out var w))
        {
            if (t > w.AddDays(settings.MaxJumpDays))
                return $"implausible time: occurredAt {EventJson.FormatTime(t)} is more than {settings.MaxJumpDays} days after the newest accepted event ({EventJson.FormatTime(w)})";
            if (t < w - settings.AllowedLateness)
                return $"late: occurredAt {EventJson.FormatTime(t)} is more than {settings.AllowedLatenessMinutes} min behind the newest event ({EventJson.FormatTime(w)}); allowed lateness exceeded";
            if (t <= w) return null;
        }
        _watermarks[source] = t;
        return null;
    }
}
