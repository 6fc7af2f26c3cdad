using System.Globalization;

namespace Monitor.Ingest;

/// <summary>
/// One log line per period for an error that repeats, instead of one per occurrence: librdkafka reports an
/// unreachable broker every few milliseconds per client (1,184 lines in 22 s before this), and a store that
/// refuses writes fails every retry. The first error of a spell is logged at once; while errors go on, one
/// summary line per <c>period</c> gives the latest error and how many there were; when the caller reports
/// recovery, one line says so. Call <see cref="Tick"/> regularly so a summary is not held back until the next
/// error. Safe to use from librdkafka's callback threads.
/// </summary>
public sealed class ErrorDigest(string subject, TimeSpan period, TimeProvider clock, Action<string> log)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _spellStart;
    private DateTimeOffset _lastLine;
    private long _pending;
    private long _total;
    private string _latest = "";

    /// <summary>True between the first error of a spell and <see cref="Recovered"/>.</summary>
    public bool Failing
    {
        get { lock (_lock) return _spellStart is not null; }
    }

    /// <summary>Errors since the spell began.</summary>
    public long Total
    {
        get { lock (_lock) return _total; }
    }

    /// <summary>An error, in words (one line).</summary>
    public void Report(string error)
    {
        string? line;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            _latest = error;
            _pending++;
            _total++;
            if (_spellStart is null)
            {
                _spellStart = now;
                line = Emit(now, first: true);
            }
            else line = Due(now);
        }
        if (line is not null) log(line);
    }

    /// <summary>Logs the period's summary when one is due.</summary>
    public void Tick()
    {
        string? line;
        lock (_lock) line = Due(clock.GetUtcNow());
        if (line is not null) log(line);
    }

    /// <summary>The errors are over: one line saying <paramref name="what"/> happened, if there were any.</summary>
    public void Recovered(string what)
    {
        string line;
        lock (_lock)
        {
            if (_spellStart is not { } start) return;
            var seconds = (clock.GetUtcNow() - start).TotalSeconds;
            line = $"{subject}: {what} after {Errors(_total)} over {seconds.ToString("0", CultureInfo.InvariantCulture)} s";
            (_spellStart, _pending, _total) = (null, 0, 0);
        }
        log(line);
    }

    private string? Due(DateTimeOffset now) => _pending > 0 && now - _lastLine >= period ? Emit(now, first: false) : null;

    private string Emit(DateTimeOffset now, bool first)
    {
        var line = first
            ? $"{subject}: {_latest}"
            : $"{subject}: {_latest}; {Errors(_pending)} in the last {(now - _lastLine).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
        _lastLine = now;
        _pending = 0;
        return line;
    }

    private static string Errors(long n) => n == 1 ? "1 error" : $"{n.ToString(CultureInfo.InvariantCulture)} errors";
}
