namespace Monitor.Metrics;

/// <summary>What happened to the points handed to a sink: written, dropped (buffer full or refused), retried batches, failed writes.</summary>
public sealed class MetricsCounters
{
    private long _written;
    private long _dropped;
    private long _retries;
    private long _failures;

    public long Written => Interlocked.Read(ref _written);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Retries => Interlocked.Read(ref _retries);
    public long Failures => Interlocked.Read(ref _failures);

    internal void AddWritten(long n) => Interlocked.Add(ref _written, n);
    internal void AddDropped(long n) => Interlocked.Add(ref _dropped, n);
    internal void AddRetry() => Interlocked.Increment(ref _retries);
    internal void AddFailure() => Interlocked.Increment(ref _failures);
}

/// <summary>Where metric points go: InfluxDB over HTTP, or a line-protocol file. Writing never blocks the caller.</summary>
public interface IMetricsSink : IAsyncDisposable
{
    MetricsCounters Counters { get; }

    /// <summary>Queues a point; false when it was dropped (the buffer is full).</summary>
    bool TryWrite(Point point);
}
