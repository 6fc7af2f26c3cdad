using Monitor.Metrics;

namespace Monitor.Notify;

/// <summary>
/// What became of the deliveries (the <c>notifications</c> metric, docs/metrics.md): taken into the queue, delivered,
/// attempts that failed, deliveries given up after their last attempt, dropped because the queue was full, skipped as
/// told before; and how many wait now. Safe to read from any thread.
/// </summary>
public sealed class NotifierCounters
{
    private long _queued;
    private long _delivered;
    private long _failedAttempts;
    private long _abandoned;
    private long _dropped;
    private long _duplicates;
    private long _pending;

    public long Queued => Interlocked.Read(ref _queued);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);
    public long Abandoned => Interlocked.Read(ref _abandoned);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Takes one more delivery unless <paramref name="capacity"/> are waiting already (then it is dropped and counted).</summary>
    internal bool TryTake(int capacity)
    {
        for (var now = Pending; now < capacity; now = Pending)
        {
            if (Interlocked.CompareExchange(ref _pending, now + 1, now) != now) continue;
            Interlocked.Increment(ref _queued);
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    internal void Done(bool delivered)
    {
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref delivered ? ref _delivered : ref _abandoned);
    }

    internal void Duplicate()
    {
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _duplicates);
    }

    internal void FailedAttempt() => Interlocked.Increment(ref _failedAttempts);

    /// <summary>The counts as one point of the <c>notifications</c> measurement.</summary>
    public Point Point(DateTimeOffset now) => Metrics.Point.Measure("notifications", now)
        .Field("queued", Queued).Field("delivered", Delivered).Field("failed_attempts", FailedAttempts).Field("abandoned", Abandoned)
        .Field("dropped", Dropped).Field("duplicates", Duplicates).Field("pending", Pending);
}
