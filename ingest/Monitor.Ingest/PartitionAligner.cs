namespace Monitor.Ingest;

/// <summary>
/// Keeps the partitions of the input topic within <c>maxSkew</c> of event time of each other (watermark
/// alignment). librdkafka hands over whole fetches, a megabyte of one partition at a time, so after a backlog one
/// partition can run days ahead of the others; branch-level rules and the day-end tick would then see a branch's
/// day in a different order than a replay does. A message too far ahead of the slowest partition is held (one
/// per partition) and its partition paused; it goes on once the others catch up.
/// <para>
/// The slowest partition is the one with the oldest next event: the held message's time for a paused partition,
/// else the newest delivered. Partitions at their end (caught up) or silent for <c>idleAfter</c> of wall-clock
/// time do not hold the others back; an assigned partition that has not delivered yet does, until it delivers
/// or goes idle. The slowest partition is never held, so the loop cannot stall.
/// </para>
/// </summary>
/// <typeparam name="T">What is held: the consumed message with its parsed event.</typeparam>
public sealed class PartitionAligner<T>(TimeSpan maxSkew, TimeSpan idleAfter, TimeProvider clock) where T : class
{
    private readonly Dictionary<int, State> _partitions = [];

    /// <summary>Messages held back right now.</summary>
    public int Held => _partitions.Values.Count(p => p.Held is not null);

    /// <summary>Partitions now assigned to this consumer: they count as unknown (holding others) until they deliver.</summary>
    public void Assign(IEnumerable<int> partitions)
    {
        foreach (var p in partitions) _partitions[p] = new State { LastHeard = clock.GetUtcNow() };
    }

    /// <summary>Partitions taken away; their held messages are dropped (the new owner re-reads them). Returns the ones that were paused.</summary>
    public List<int> Revoke(IEnumerable<int> partitions)
    {
        var paused = new List<int>();
        foreach (var p in partitions)
            if (_partitions.Remove(p, out var s) && s.Held is not null) paused.Add(p);
        return paused;
    }

    /// <summary>The partition has delivered everything there is for now.</summary>
    public void AtEnd(int partition)
    {
        var s = StateOf(partition);
        s.AtEnd = true;
        s.LastHeard = clock.GetUtcNow();
    }

    /// <summary>
    /// A message from <paramref name="partition"/> with event time <paramref name="time"/> (null when it has none:
    /// unreadable messages go straight on). True: process it now. False: it is held; pause the partition.
    /// </summary>
    public bool Admit(int partition, DateTimeOffset? time, T item)
    {
        var s = StateOf(partition);
        s.AtEnd = false;
        s.LastHeard = clock.GetUtcNow();
        if (time is not { } t) return true;
        if (s.Held is not null) throw new InvalidOperationException($"partition {partition} delivered while paused");
        var slowest = Slowest(except: partition, orAt: t);
        if (slowest is { } low && t - low > maxSkew)
        {
            s.Held = item;
            s.HeldTime = t;
            return false;
        }
        if (s.Newest is null || t > s.Newest) s.Newest = t;
        return true;
    }

    /// <summary>Held messages that may go on now, oldest first, with their partitions (to resume).</summary>
    public List<(int Partition, T Item)> Release()
    {
        var released = new List<(int, T, DateTimeOffset)>();
        while (true)
        {
            var slowest = Slowest(except: null, orAt: null);
            var any = false;
            foreach (var (p, s) in _partitions)
            {
                if (s.Held is null) continue;
                if (slowest is { } low && s.HeldTime - low > maxSkew) continue;
                released.Add((p, s.Held, s.HeldTime));
                if (s.Newest is null || s.HeldTime > s.Newest) s.Newest = s.HeldTime;
                s.Held = null;
                any = true;
            }
            if (!any) break;
        }
        released.Sort((a, b) => a.Item3.CompareTo(b.Item3));
        return released.ConvertAll(r => (r.Item1, r.Item2));
    }

    /// <summary>
    /// The oldest next event over the partitions that count; <see cref="DateTimeOffset.MinValue"/> while an assigned
    /// partition has not delivered; null when none counts. <paramref name="except"/> is judged at <paramref name="orAt"/>.
    /// </summary>
    private DateTimeOffset? Slowest(int? except, DateTimeOffset? orAt)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? low = orAt;
        foreach (var (p, s) in _partitions)
        {
            if (p == except) continue;
            DateTimeOffset next;
            if (s.Held is not null) next = s.HeldTime;
            else if (s.AtEnd || now - s.LastHeard > idleAfter) continue;
            else next = s.Newest ?? DateTimeOffset.MinValue;
            if (low is null || next < low) low = next;
        }
        return low;
    }

    private State StateOf(int partition)
    {
        if (!_partitions.TryGetValue(partition, out var s)) _partitions[partition] = s = new State { LastHeard = clock.GetUtcNow() };
        return s;
    }

    private sealed class State
    {
        public DateTimeOffset? Newest;
        public DateTimeOffset LastHeard;
        public bool AtEnd;
        public T? Held;
        public DateTimeOffset HeldTime;
    }
}
