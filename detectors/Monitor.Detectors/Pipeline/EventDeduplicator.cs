using Monitor.Contracts.State;
namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Recognises an event seen before (same <c>eventId</c>) within a horizon of event time, so that Kafka's
/// at-least-once redelivery never counts a query twice. A redelivered event comes back on its own source
/// (the partition its key hashes to), so each source keeps its own ids and its own horizon: a partition read
/// days ahead of another must not expire the other's ids. Ids are kept in hourly buckets and whole buckets
/// expire as the source's event time moves on, which bounds memory by the traffic of the horizon.
/// </summary>
public sealed class EventDeduplicator(TimeSpan horizon) : IDurableState
{
    private readonly Dictionary<int, SourceWindow> _sources = [];

    public int Tracked => _sources.Values.Sum(s => s.Seen.Count);

    /// <summary>Per source, its newest hour and its ids by hour bucket (the set of ids is rebuilt from the buckets); the horizon is the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("EventDeduplicator");
        w.Write(_sources, (w, k) => w.Write(k), (w, s) => s.Save(w));
    }

    public void Restore(StateReader r)
    {
        r.Section("EventDeduplicator");
        _sources.Clear();
        r.ReadInto(_sources, r => r.ReadInt(), SourceWindow.Read);
    }

    /// <summary>True when the id was seen on this source within the horizon.</summary>
    public bool Seen(int source, string eventId) => _sources.TryGetValue(source, out var s) && s.Seen.Contains(eventId);

    /// <summary>Remembers an accepted event's id until the source's event time moves past the horizon.</summary>
    public void Remember(int source, string eventId, DateTimeOffset occurredAt)
    {
        if (!_sources.TryGetValue(source, out var s)) _sources[source] = s = new SourceWindow();
        s.Remember(eventId, occurredAt, (long)Math.Ceiling(horizon.TotalHours));
    }

    private sealed class SourceWindow
    {
        private readonly Dictionary<long, List<string>> _buckets = [];
        private long _newestHour = long.MinValue;

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public void Remember(string eventId, DateTimeOffset occurredAt, long horizonHours)
        {
            var hour = occurredAt.UtcTicks / TimeSpan.TicksPerHour;
            if (hour > _newestHour)
            {
                _newestHour = hour;
                Expire(hour - horizonHours);
            }
            if (!Seen.Add(eventId)) return;
            if (!_buckets.TryGetValue(hour, out var bucket)) _buckets[hour] = bucket = [];
            bucket.Add(eventId);
        }

        public void Save(StateWriter w)
        {
            w.Write(_newestHour);
            w.Write(_buckets, (w, h) => w.Write(h), (w, ids) => w.Write(ids, (w, id) => w.Write(id)));
        }

        public static SourceWindow Read(StateReader r)
        {
            var s = new SourceWindow { _newestHour = r.ReadLong() };
            r.ReadInto(s._buckets, r => r.ReadLong(), r => r.ReadList(r => r.ReadString()));
            foreach (var ids in s._buckets.Values)
                foreach (var id in ids)
                    if (!s.Seen.Add(id)) throw new StateFormatException($"event id {id} twice in one source's buckets");
            return s;
        }

        private void Expire(long oldestKept)
        {
            List<long>? gone = null;
            foreach (var (hour, ids) in _buckets)
            {
                if (hour >= oldestKept) continue;
                foreach (var id in ids) Seen.Remove(id);
                (gone ??= []).Add(hour);
            }
            if (gone is not null) foreach (var h in gone) _buckets.Remove(h);
        }
    }
}
