namespace Monitor.Metrics;

/// <summary>
/// What an InfluxDB writer says about its server: the first failure of a kind (unavailable, credentials refused,
/// points refused as bad) in one line, nothing more while that goes on, and one line when writes succeed again
/// with the points dropped meanwhile. An outage of hours is two lines on stderr, not one per retry.
/// </summary>
internal sealed class OutageLog(Action<string>? log, MetricsCounters counters, string server)
{
    private readonly Lock _lock = new();
    private string? _kind;
    private long _droppedAtLastWrite; // so a buffer that overflowed before the first failure came back is counted too

    /// <summary>The server as log lines name it: without user info or query (a 1.x password can be in either).</summary>
    public static string Name(string api, Uri url) =>
        $"influxdb {api} at {url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}";

    public string Server => server;

    /// <summary>Says <paramref name="line"/> unless a failure of the same <paramref name="kind"/> was the last thing said.</summary>
    public void Failed(string kind, string line)
    {
        lock (_lock)
        {
            if (_kind == kind) return;
            _kind = kind;
        }
        log?.Invoke(line);
    }

    /// <summary>The writer stopped with <paramref name="unwritten"/> points it could not send in time: says how many, if any.</summary>
    public void Stopped(long unwritten)
    {
        if (unwritten > 0) log?.Invoke($"{server}: {unwritten} points were not written before the stop (dropped and counted)");
    }

    /// <summary>A write succeeded: says so once if failures were reported, with the points dropped since the last success.</summary>
    public void Written()
    {
        long dropped;
        lock (_lock)
        {
            var now = counters.Dropped;
            dropped = now - _droppedAtLastWrite;
            _droppedAtLastWrite = now;
            if (_kind is null) return;
            _kind = null;
        }
        log?.Invoke($"{server} takes writes again ({dropped} points were dropped meanwhile)");
    }
}
