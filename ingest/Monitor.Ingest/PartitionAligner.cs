namespace Monitor.Ingest;

/// <summary>
/// Keeps the partitions of the input topic within <c>maxSkew</c> of event time of each other (watermark
/// alignment). librdkafka hands over whole fetches, a megabyte of one partition at a time, so after a backlog one
/// partition can run days ahead of the others; branch-level rules and the day-end tick would then see a branch's
/// day in a different order than a replay does. Messages too far ahead of the slowest partition wait here, in
/// their partition's order, and go on once the others catch up. Only when a partition has <c>maxHeld</c>
/// waiting is it paused (librdkafka then drops what it had prefetched for it), and it resumes at half that, so
/// memory is bounded without refetching at every step.
/// <para>
/// The slowest partition is the one with the oldest next event: the first waiting message's time, else the
/// newest delivered. Partitions at their end (caught up) or silent for <c>idleAfter</c> of wall-clock time do
/// not hold the others back; an assigned partition that has not delivered yet does, until it delivers or goes
/// idle. The slowest partition's next message always goes on, so the loop cannot stall.
/// </para>
/// </summary>
/// <typeparam name="T">What waits: the consumed message with its parsed event.</typeparam>
public sealed class PartitionAligner<T>(TimeSpan maxSkew, TimeSpan idleAfter, TimeProvider clock, int maxHeld = 20_000) where T : class
{
    private readonly Dictionary<int, State> _partitions = [];

    /// <summary>Messages waiting right now.</summary>
    public int Held => _partitions.Values.Sum(p => p.Waiting.Count);

    /// <summary>The aligner paused this partition (too many of its messages waiting here).</summary>
    public bool IsPaused(int partition) => _partitions.TryGetValue(partition, out var s) && s.Paused;

    /// <summary>Partitions now assigned to this consumer: they count as unknown (holding others) until they deliver.</summary>
    public void Assign(IEnumerable<int> partitions)
    {
        foreach (var p in partitions) _partitions[p] = new State { LastHeard = clock.GetUtcNow() };
    }

    /// <summary>Partitions taken away; their waiting messages are dropped (the new owner re-reads them). Returns the ones that were paused.</summary>
    public List<int> Revoke(IEnumerable<int> partitions)
    {
        var paused = new List<int>();
        foreach (var p in partitions)
            if (_partitions.Remove(p, out var s) && s.Paused) paused.Add(p);
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
    /// unreadable messages go straight on unless others of their partition wait). True: process it now. False: it
    /// waits; <paramref name="pause"/> says the partition has too many waiting and should be paused.
    /// </summary>
    public bool Admit(int partition, DateTimeOffset? time, T item, out bool pause)
    {
        pause = false;
        var s = StateOf(partition);
        s.AtEnd = false;
        s.LastHeard = clock.GetUtcNow();
        if (s.Waiting.Count == 0)
        {
            if (time is not { } t) return true;
            var slowest = Slowest(except: partition, orAt: t);
            if (slowest is not { } low || t - low <= maxSkew)
            {
                if (s.Newest is null || t > s.Newest) s.Newest = t;
                return true;
            }
        }
        s.Waiting.Enqueue((item, time ?? s.Waiting.Peek().Time));
        if (s.Waiting.Count >= maxHeld && !s.Paused) pause = s.Paused = true;
        return false;
    }

    /// <summary>
    /// Waiting messages that may go on now, oldest first, with their partitions; <paramref name="resume"/> gets
    /// the paused partitions whose backlog here has halved.
    /// </summary>
    public List<(int Partition, T Item)> Release(List<int> resume)
    {
        var released = new List<(int, T)>();
        while (true)
        {
            State? next = null;
            var nextPartition = 0;
            foreach (var (p, s) in _partitions)
                if (s.Waiting.Count > 0 && (next is null || s.Waiting.Peek().Time < next.Waiting.Peek().Time)) (next, nextPartition) = (s, p);
            if (next is null) break;
            var (item, time) = next.Waiting.Peek();
            if (Slowest(except: null, orAt: null) is { } low && time - low > maxSkew) break;
            next.Waiting.Dequeue();
            if (next.Newest is null || time > next.Newest) next.Newest = time;
            released.Add((nextPartition, item));
        }
        foreach (var (p, s) in _partitions)
        {
            if (!s.Paused || s.Waiting.Count > maxHeld / 2) continue;
            s.Paused = false;
            resume.Add(p);
        }
        return released;
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
            if (s.Waiting.Count > 0) next = s.Waiting.Peek().Time;
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
        public readonly Queue<(T Item, DateTimeOffset Time)> Waiting = new();
        public DateTimeOffset? Newest;
        public DateTimeOffset LastHeard;
        public bool AtEnd;
        public bool Paused;
    }
}
