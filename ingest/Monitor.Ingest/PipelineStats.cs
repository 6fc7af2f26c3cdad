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

    public long Events => Interlocked.Read(ref _events);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long AlertRevisions => Interlocked.Read(ref _alertRevisions);
    public long Commands => Interlocked.Read(ref _commands);

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
