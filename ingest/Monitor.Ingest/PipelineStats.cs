namespace Monitor.Ingest;

/// <summary>
/// Running counts of one pipeline, safe to read from another thread: the live view, the summary and the
/// metrics all read these instead of keeping counts of their own.
/// </summary>
public sealed class PipelineStats
{
    private long _events;
    private long _accepted;
    private long _deadLettered;
    private long _duplicates;
    private long _alertRevisions;
    private long _commands;
    private long _deadLetterFailures;
    private long _storeFailures;

    public long Events => Interlocked.Read(ref _events);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long AlertRevisions => Interlocked.Read(ref _alertRevisions);
    public long Commands => Interlocked.Read(ref _commands);

    /// <summary>Dead letters the dead-letter topic did not take (too large, refused, timed out); their offsets were stored anyway and the reason logged.</summary>
    public long DeadLetterFailures => Interlocked.Read(ref _deadLetterFailures);

    /// <summary>Attempts to record a batch's outputs in the store that failed (each retried until the store takes it).</summary>
    public long StoreFailures => Interlocked.Read(ref _storeFailures);

    public void RecordDeadLetterFailure() => Interlocked.Increment(ref _deadLetterFailures);

    public void RecordStoreFailure() => Interlocked.Increment(ref _storeFailures);

    private long _lostToRetention;

    /// <summary>Events the brokers deleted (retention) before the monitor read them: a checkpoint older than the topic keeps.</summary>
    public long LostToRetention => Interlocked.Read(ref _lostToRetention);

    public void RecordRetentionLoss(long events) => Interlocked.Add(ref _lostToRetention, events);

    private readonly Lock _lock = new();
    private readonly double[] _batchMs = new double[512];
    private int _batches;
    private readonly Dictionary<int, long> _lag = [];
    private DateTimeOffset? _latestEvent;

    /// <summary>The newest event time seen.</summary>
    public DateTimeOffset? LatestEventTime
    {
        get { lock (_lock) return _latestEvent; }
    }

    /// <summary>Messages behind the end of each partition, as of the last check.</summary>
    public IReadOnlyDictionary<int, long> Lag
    {
        get { lock (_lock) return new Dictionary<int, long>(_lag); }
    }

    /// <summary>How long one batch took from consumed to published.</summary>
    public void RecordBatch(TimeSpan took, DateTimeOffset? latestEvent)
    {
        lock (_lock)
        {
            _batchMs[_batches++ % _batchMs.Length] = took.TotalMilliseconds;
            if (latestEvent is { } t && (_latestEvent is null || t > _latestEvent)) _latestEvent = t;
        }
    }

    public void RecordLag(int partition, long lag)
    {
        lock (_lock) _lag[partition] = lag;
    }

    /// <summary>Percentiles (0–1) of the last 512 batch durations in milliseconds; empty before the first batch.</summary>
    public double[] BatchPercentiles(params double[] quantiles)
    {
        double[] sample;
        lock (_lock) sample = _batchMs[..Math.Min(_batches, _batchMs.Length)];
        if (sample.Length == 0) return [];
        Array.Sort(sample);
        return [.. quantiles.Select(q => sample[(int)Math.Min(sample.Length - 1, Math.Floor(q * sample.Length))])];
    }

    public void Record(int events, int deadLettered, int duplicates, int alerts, int commands)
    {
        Interlocked.Add(ref _events, events);
        Interlocked.Add(ref _accepted, events - deadLettered - duplicates);
        Interlocked.Add(ref _deadLettered, deadLettered);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Add(ref _alertRevisions, alerts);
        Interlocked.Add(ref _commands, commands);
    }
}
