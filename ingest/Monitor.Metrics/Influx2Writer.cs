using System.Diagnostics;
using System.Threading.Channels;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;

namespace Monitor.Metrics;

/// <summary>
/// Writes points to InfluxDB 2.x or 3.x (<c>/api/v2/write</c>) through the official client, InfluxDB.Client, whose
/// write API batches by size and time, gzips, and retries 429, 5xx and refused connections with exponential backoff
/// (or the server's Retry-After), giving a batch up after <see cref="InfluxOptions.MaxRetries"/>. That client keeps
/// whatever it is handed in an unbounded queue, so points first wait in a bounded buffer here and only two batches'
/// worth are in the client at a time: detection never waits, and a full buffer drops the new point and counts it.
/// The client's write events feed the counters and the log (one line per outage, not one per retry). Points are
/// handed over as line protocol from <see cref="LineProtocol"/>, the escaping the 1.x path has read back from a
/// real InfluxDB.
/// </summary>
public sealed class Influx2Writer : IMetricsSink
{
    private readonly InfluxOptions _options;
    private readonly InfluxDBClient _client;
    private readonly WriteApi _api;
    private readonly Channel<string> _buffer;
    private readonly SemaphoreSlim _room; // points the client may hold: two batches
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _settle = new();
    private readonly OutageLog _outage;
    private readonly Task _pump;
    private long _inClient;
    private bool _closed;

    public Influx2Writer(InfluxOptions options, Action<string>? log = null)
    {
        if (string.IsNullOrEmpty(options.Org) || string.IsNullOrEmpty(options.Bucket))
            throw new ArgumentException("the 2.x/3.x write API needs an organisation and a bucket", nameof(options));
        _options = options;
        _outage = new OutageLog(log, Counters, OutageLog.Name("2.x", options.Url));
        var client = new InfluxDBClientOptions(options.Url.ToString()) { Org = options.Org, Bucket = options.Bucket, Timeout = options.RequestTimeout };
        if (!string.IsNullOrEmpty(options.Token)) client.Token = options.Token;
        _client = new InfluxDBClient(client);
        if (options.Gzip) _client.EnableGzip();
        _api = _client.GetWriteApi(new WriteOptions
        {
            BatchSize = options.BatchPoints,
            FlushInterval = Millis(options.FlushInterval),
            RetryInterval = Millis(options.FirstRetry),
            MaxRetryDelay = Millis(options.MaxRetry),
            ExponentialBase = 2,
            MaxRetries = options.MaxRetries,
        });
        _api.EventHandler += OnEvent;
        _buffer = Channel.CreateBounded<string>(new BoundedChannelOptions(options.BufferPoints) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _room = new SemaphoreSlim(2 * options.BatchPoints);
        _pump = Task.Run(PumpAsync);
    }

    private static int Millis(TimeSpan t) => (int)Math.Max(1, t.TotalMilliseconds);

    public MetricsCounters Counters { get; } = new();

    /// <summary>Points not yet written: waiting here or handed to the client and not yet answered.</summary>
    public long Pending => _buffer.Reader.Count + Interlocked.Read(ref _inClient);

    public bool TryWrite(Point point)
    {
        if (_buffer.Writer.TryWrite(LineProtocol.Format(point))) return true;
        Counters.AddDropped(1);
        return false;
    }

    /// <summary>Hands points to the client while it holds fewer than two batches; a point waits in the buffer until then.</summary>
    private async Task PumpAsync()
    {
        var reader = _buffer.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (reader.TryPeek(out var line))
                {
                    await _room.WaitAsync(_stop.Token);
                    reader.TryRead(out _);
                    Interlocked.Increment(ref _inClient);
                    _api.WriteRecord(line, WritePrecision.Ms, _options.Bucket, _options.Org);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The client's word on each batch; raised on its threads, so it only counts and logs.</summary>
    private void OnEvent(object? sender, EventArgs e)
    {
        switch (e)
        {
            case WriteSuccessEvent s:
                Settle(s.LineProtocol, written: true);
                _outage.Written();
                break;
            case WriteRetriableErrorEvent r:
                Counters.AddFailure();
                Counters.AddRetry();
                Report(r.Exception, r.LineProtocol);
                break;
            case WriteErrorEvent f:
                Counters.AddFailure();
                Settle(f.LineProtocol, written: false);
                Report(f.Exception, f.LineProtocol);
                break;
            case WriteRuntimeExceptionEvent x:
                // The client's pipeline has ended: what it holds is never answered, so the buffer fills and drops.
                _outage.Failed("broken", $"{_outage.Server}: the InfluxDB client stopped ({x.Exception.Message}); metrics are dropped (and counted) from now on");
                break;
        }
    }

    private void Settle(string lineProtocol, bool written)
    {
        var points = 1 + lineProtocol.AsSpan().Count('\n'); // LineProtocol never puts a newline inside a point
        lock (_settle)
        {
            if (_closed) return; // counted as dropped when the writer stopped waiting for it
            Interlocked.Add(ref _inClient, -points);
            if (written) Counters.AddWritten(points);
            else Counters.AddDropped(points);
        }
        _room.Release(points);
    }

    private void Report(Exception e, string lineProtocol)
    {
        var status = e is HttpException h ? h.Status : 0;
        var why = status > 0 ? $"{status} {e.Message}" : TimedOut(e) ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s" : e.Message;
        if (status is 401 or 403)
            _outage.Failed("credentials", $"{_outage.Server} refused the token ({why}): check INFLUX_TOKEN and that it may write to bucket {_options.Bucket} of org {_options.Org}; "
                + "metrics are dropped (and counted) until it is accepted");
        else if (status is 0 or 408 or >= 429)
            _outage.Failed("unavailable", $"{_outage.Server}: write failed ({why}); each batch is retried with backoff up to {_options.MaxRetries} times, then dropped (and counted); "
                + $"meanwhile points wait in a buffer of {_options.BufferPoints}, beyond it they are dropped (and counted)");
        else
            _outage.Failed($"refused {status}", $"{_outage.Server} refused {1 + lineProtocol.AsSpan().Count('\n')} points, dropped (and counted): {why}");
    }

    private static bool TimedOut(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is OperationCanceledException or TimeoutException) return true;
        return false;
    }

    /// <summary>
    /// Stops taking points, hands what is buffered to the client and waits up to <paramref name="grace"/> for it to be
    /// written; what is still unwritten then is counted dropped.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_buffer.Writer.TryComplete()) return;
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => grace - clock.Elapsed;
        if (await Task.WhenAny(_pump, Task.Delay(grace)) == _pump) _api.Flush(); // the last part-batch now, not at the flush interval
        while (Interlocked.Read(ref _inClient) > 0 && Left() > TimeSpan.Zero) await Task.Delay(10);
        await _stop.CancelAsync();
        await _pump;
        var left = 0;
        while (_buffer.Reader.TryRead(out _)) left++;
        long unwritten;
        lock (_settle)
        {
            _closed = true;
            unwritten = Interlocked.Exchange(ref _inClient, 0) + left;
            Counters.AddDropped(unwritten);
        }
        _outage.Stopped(unwritten);
        // Disposing the client waits on its thread (up to 30 s) for batches it is still retrying: not on the caller's.
        var close = Task.Run(() =>
        {
            _api.Dispose();
            _client.Dispose();
        });
        await Task.WhenAny(close, Task.Delay(Left() > TimeSpan.FromMilliseconds(100) ? Left() : TimeSpan.FromMilliseconds(100)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
    }
}
