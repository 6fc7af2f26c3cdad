using System.Threading.Channels;

namespace Monitor.Metrics;

/// <summary>
/// The embedded default: without an InfluxDB URL, metrics go to a local file in line protocol, one point per
/// line, importable later (<c>influx -import</c> or <c>curl --data-binary @metrics.lp "…/write?db=…&amp;precision=ms"</c>).
/// </summary>
public sealed class FileMetricsSink : IMetricsSink
{
    private readonly Channel<string> _buffer = Channel.CreateBounded<string>(new BoundedChannelOptions(100_000) { SingleReader = true });
    private readonly Task _loop;

    public FileMetricsSink(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        _loop = Task.Run(() => RunAsync(path));
    }

    public MetricsCounters Counters { get; } = new();

    public bool TryWrite(Point point)
    {
        if (_buffer.Writer.TryWrite(LineProtocol.Format(point))) return true;
        Counters.AddDropped(1);
        return false;
    }

    private async Task RunAsync(string path)
    {
        await using var w = new StreamWriter(path, append: true, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        while (await _buffer.Reader.WaitToReadAsync())
        {
            var n = 0;
            while (_buffer.Reader.TryRead(out var line))
            {
                await w.WriteLineAsync(line);
                n++;
            }
            await w.FlushAsync();
            Counters.AddWritten(n);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _loop;
    }
}
