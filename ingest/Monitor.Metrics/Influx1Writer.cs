using System.IO.Compression;
using System.Net;
using System.Text;
using System.Threading.Channels;

namespace Monitor.Metrics;

/// <summary>
/// Writes points to InfluxDB 1.x (<c>/write?db=</c>) without ever holding up detection: points queue in a bounded
/// buffer (a full buffer drops the new point and counts it), a background loop sends them in gzip'd batches, and a
/// failed batch is retried with exponential backoff while new points keep queueing behind it. A batch InfluxDB
/// refuses as bad (4xx other than 408/429) is dropped and counted rather than retried for ever. The project's own
/// code because the official client, which the 2.x/3.x path uses (<see cref="Influx2Writer"/>), speaks only
/// <c>/api/v2/write</c>, which InfluxDB 1.x lacks (docs/metrics.md).
/// </summary>
public sealed class Influx1Writer : IMetricsSink
{
    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly Channel<string> _buffer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Uri _write;
    private readonly OutageLog _outage;

    public Influx1Writer(InfluxOptions options, HttpMessageHandler? handler = null, Action<string>? log = null)
    {
        if (options.IsV2) throw new ArgumentException("a bucket is for the 2.x/3.x API: use Influx2Writer (InfluxSink.Create picks)", nameof(options));
        _options = options;
        _write = options.V1WriteUri();
        _outage = new OutageLog(log, Counters, OutageLog.Name("1.x", options.Url));
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = options.RequestTimeout };
        _buffer = Channel.CreateBounded<string>(new BoundedChannelOptions(options.BufferPoints) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(RunAsync);
    }

    public MetricsCounters Counters { get; } = new();

    /// <summary>Points waiting to be sent.</summary>
    public int Pending => _buffer.Reader.Count;

    public bool TryWrite(Point point)
    {
        if (_buffer.Writer.TryWrite(LineProtocol.Format(point))) return true;
        Counters.AddDropped(1);
        return false;
    }

    private async Task RunAsync()
    {
        var batch = new List<string>(_options.BatchPoints);
        var reader = _buffer.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                var deadline = DateTime.UtcNow + _options.FlushInterval;
                while (batch.Count < _options.BatchPoints)
                {
                    if (reader.TryRead(out var line))
                    {
                        batch.Add(line);
                        continue;
                    }
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) break;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    wait.CancelAfter(left);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token)) break;
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        break;
                    }
                }
                await SendAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        Counters.AddDropped(batch.Count + reader.Count);
        _outage.Stopped(batch.Count + reader.Count);
    }

    /// <summary>Sends one batch, retrying with backoff until it is written, refused as bad, or the writer stops.</summary>
    private async Task SendAsync(List<string> batch)
    {
        var body = Encode(batch);
        var delay = _options.FirstRetry;
        while (true)
        {
            HttpStatusCode? status = null;
            string? why;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("text/plain") { CharSet = "utf-8" };
                if (_options.Gzip) content.Headers.ContentEncoding.Add("gzip");
                using var request = new HttpRequestMessage(HttpMethod.Post, _write) { Content = content };
                using var response = await _http.SendAsync(request, _stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    Counters.AddWritten(batch.Count);
                    _outage.Written();
                    return;
                }
                status = response.StatusCode;
                why = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_stop.Token)}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                why = e.Message;
            }
            Counters.AddFailure();
            if (status is { } s && (int)s is >= 400 and < 500 and not 408 and not 429)
            {
                Counters.AddDropped(batch.Count);
                if (s is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    _outage.Failed("credentials", $"{_outage.Server} refused the credentials ({why}): check --influx-user and INFLUX_PASSWORD; metrics are dropped (and counted) until they are accepted");
                else
                    _outage.Failed($"refused {(int)s}", $"{_outage.Server} refused {batch.Count} points as bad, dropped (and counted): {why}");
                return;
            }
            _outage.Failed("unavailable", $"{_outage.Server}: write failed, retried with backoff (up to {_options.MaxRetry.TotalSeconds:0.#} s apart) until it takes them; "
                + $"meanwhile points wait in a buffer of {_options.BufferPoints}, beyond it they are dropped (and counted): {why}");
            Counters.AddRetry();
            await Task.Delay(delay, _stop.Token); // a stop here drops the batch (counted by the loop's caller)
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetry.Ticks));
        }
    }

    private byte[] Encode(List<string> batch)
    {
        var text = Encoding.UTF8.GetBytes(string.Join('\n', batch) + "\n");
        if (!_options.Gzip) return text;
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(text);
        return ms.ToArray();
    }

    /// <summary>Stops taking points and sends what is queued, waiting up to <paramref name="grace"/>; the rest is counted dropped.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _buffer.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(grace)) != _loop) await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _http.Dispose();
        _stop.Dispose();
    }
}
