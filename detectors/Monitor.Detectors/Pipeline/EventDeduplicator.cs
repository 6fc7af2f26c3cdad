namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Recognises an event seen before (same <c>eventId</c>) within a horizon of event time, so that Kafka's
/// at-least-once redelivery never counts a query twice. Ids are kept in hourly buckets and whole buckets
/// expire as event time moves on, which bounds memory by the traffic of the horizon.
/// </summary>
public sealed class EventDeduplicator(TimeSpan horizon)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<string>> _buckets = [];
    private long _newestHour = long.MinValue;

    public int Tracked => _seen.Count;

    /// <summary>True when the id was seen within the horizon.</summary>
    public bool Seen(string eventId) => _seen.Contains(eventId);

    /// <summary>Remembers an accepted event's id until event time moves past the horizon.</summary>
    public void Remember(string eventId, DateTimeOffset occurredAt)
    {
        var hour = occurredAt.UtcTicks / TimeSpan.TicksPerHour;
        if (hour > _newestHour)
        {
            _newestHour = hour;
            Expire(hour - (long)Math.Ceiling(horizon.TotalHours));
        }
        if (!_seen.Add(eventId)) return;
        if (!_buckets.TryGetValue(hour, out var bucket)) _buckets[hour] = bucket = [];
        bucket.Add(eventId);
    }

    private void Expire(long oldestKept)
    {
        List<long>? gone = null;
        foreach (var (hour, ids) in _buckets)
        {
            if (hour >= oldestKept) continue;
            foreach (var id in ids) _seen.Remove(id);
            (gone ??= []).Add(hour);
        }
        if (gone is not null) foreach (var h in gone) _buckets.Remove(h);
    }
}
