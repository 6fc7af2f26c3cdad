using System.Text;
using System.Threading.Channels;

namespace Monitor.Metrics;

/// <summary>
/// The embedded default: without an InfluxDB URL, metrics go to a local file in line protocol, one point per
/// line, importable later (<c>influx -import</c> or <c>curl --data-binary @metrics.lp "…/write?db=…&amp;precision=ms"</c>).
/// A file that cannot be written (a full disk, a folder taken away) is not a silent loss: the points are counted
/// as dropped and failures, the first failure is reported with its reason, and the sink keeps trying batch by
/// batch and says when the file takes points again.
/// </summary>
public sealed class FileMetricsSink : IMetricsSink
{
    private readonly Channel<string> _buffer = Channel.CreateBounded<string>(new BoundedChannelOptions(100_000) { SingleReader = true });
    private readonly string _path;
    private readonly Action<string>? _log;
    private readonly Task _loop;
    private FileStream? _file;
    private long _lostSinceReport;
    private bool _failing;

    /// <summary>Opens (appends to) <paramref name="path"/>; throws when it cannot be opened at all, so a caller can refuse the option.</summary>
    public FileMetricsSink(string path, Action<string>? log = null)
    {
        _path = Path.GetFullPath(path);
        _log = log;
        if (Path.GetDirectoryName(_path) is { } dir) Directory.CreateDirectory(dir);
        _file = Open();
        _loop = Task.Run(RunAsync);
    }

    public MetricsCounters Counters { get; } = new();

    public bool TryWrite(Point point)
    {
        if (_buffer.Writer.TryWrite(LineProtocol.Format(point))) return true;
        Counters.AddDropped(1);
        return false;
    }

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);

    private async Task RunAsync()
    {
        var text = new StringBuilder();
        while (await _buffer.Reader.WaitToReadAsync())
        {
            var n = 0;
            text.Clear();
            while (n < 10_000 && _buffer.Reader.TryRead(out var line))
            {
                text.Append(line).Append('\n');
                n++;
            }
            await WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), n);
        }
        _file?.Dispose();
    }

    /// <summary>One batch, one write (unbuffered, so a failed write leaves nothing half-kept in memory to retry).</summary>
    private async Task WriteAsync(byte[] bytes, int points)
    {
        try
        {
            _file ??= Open();
            // After a failure the file may end in part of a line; a newline first keeps the next point whole.
            if (_failing) await _file.WriteAsync("\n"u8.ToArray());
            await _file.WriteAsync(bytes);
            Counters.AddWritten(points);
            if (_failing)
            {
                _failing = false;
                _log?.Invoke($"metrics file {_path} is written again ({_lostSinceReport} points were lost)");
                _lostSinceReport = 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Counters.AddFailure();
            Counters.AddDropped(points);
            _lostSinceReport += points;
            if (!_failing)
            {
                _failing = true;
                _log?.Invoke($"metrics file {_path} cannot be written, its points are dropped (and counted) until it can: {e.Message}");
            }
            try
            {
                _file?.Dispose();
            }
            catch (IOException)
            {
            }
            _file = null; // reopened on the next batch
        }
    }

    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _loop;
        if (_failing) _log?.Invoke($"metrics file {_path}: {_lostSinceReport} points could not be written");
    }
}
