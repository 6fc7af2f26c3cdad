using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Monitor.Metrics.Tests;

/// <summary>
/// The 2.x/3.x writer (InfluxDB.Client underneath) against a scripted InfluxDB 2.x: what arrives where, retries of
/// 503 and 429 that end in a counted drop, a refused token said once, a bounded buffer that never blocks, a stop
/// that flushes.
/// </summary>
public sealed class Influx2WriterTests : IDisposable
{
    private readonly ScriptedInflux2 _influx = new();
    private readonly ConcurrentQueue<string> _log = new();

    private InfluxOptions Options(int buffer = 1000, int batch = 100, int maxRetries = 2) => new()
    {
        Url = _influx.Url, Org = "bank", Bucket = "credit", Token = "s3cret", BufferPoints = buffer, BatchPoints = batch, MaxRetries = maxRetries,
        FlushInterval = TimeSpan.FromMilliseconds(20), FirstRetry = TimeSpan.FromMilliseconds(10), MaxRetry = TimeSpan.FromMilliseconds(40),
    };

    private Influx2Writer Writer(InfluxOptions options) => new(options, _log.Enqueue);

    private static Point P(int i) => Point.Measure("m", DateTimeOffset.FromUnixTimeMilliseconds(1_000 + i)).Tag("branch", "总行 营业部").Field("i", (long)i);

    private static async Task Until(Func<bool> done, string what)
    {
        for (var i = 0; i < 1000 && !done(); i++) await Task.Delay(10);
        Assert.True(done(), what);
    }

    [Fact]
    public async Task Points_reach_api_v2_write_in_gzip_batches_with_org_bucket_token_and_ms_precision()
    {
        await using var w = Writer(Options());
        for (var i = 0; i < 250; i++) Assert.True(w.TryWrite(P(i)));
        await Until(() => w.Counters.Written == 250, $"written {w.Counters.Written}");

        var writes = _influx.Writes;
        Assert.True(writes.Count >= 3, $"{writes.Count} requests for 250 points in batches of 100");
        Assert.All(writes, r =>
        {
            Assert.Equal("/api/v2/write", r.Path);
            Assert.Equal("bank", r.Query["org"]);
            Assert.Equal("credit", r.Query["bucket"]);
            Assert.Equal("ms", r.Query["precision"]);
            Assert.Equal("Token s3cret", r.Authorization);
            Assert.Equal("gzip", r.ContentEncoding);
            Assert.StartsWith("influxdb-client-csharp/5.1", r.UserAgent);
            Assert.InRange(r.Lines.Length, 1, 100);
        });
        Assert.Equal(Enumerable.Range(0, 250).Select(i => LineProtocol.Format(P(i))), _influx.Lines);
        Assert.Equal(0, w.Counters.Dropped + w.Counters.Retries + w.Counters.Failures);
        Assert.Empty(_log);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_busy_or_unavailable_server_is_retried_with_backoff_then_the_batch_is_given_up_and_counted_without_blocking(int status)
    {
        _influx.Answer = _ => status;
        await using var w = Writer(Options(maxRetries: 2));
        for (var i = 0; i < 10; i++) w.TryWrite(P(i));
        await Until(() => _influx.Writes.Count > 0, "no request");

        var sw = Stopwatch.StartNew();
        var taken = Enumerable.Range(10, 500).Count(i => w.TryWrite(P(i))); // while the first batch is being retried
        Assert.True(sw.ElapsedMilliseconds < 500, $"500 writes took {sw.ElapsedMilliseconds} ms");
        Assert.Equal(500, taken);

        await Until(() => w.Counters.Dropped == 510, $"dropped {w.Counters.Dropped}, written {w.Counters.Written}");
        var batches = _influx.Writes.GroupBy(r => r.Body).ToList();
        Assert.All(batches, b => Assert.Equal(3, b.Count())); // the first try and two retries, then given up
        Assert.Equal(510, batches.Sum(b => b.First().Lines.Length));
        Assert.Equal(2 * batches.Count, w.Counters.Retries);
        Assert.Equal(3 * batches.Count, w.Counters.Failures);
        Assert.Equal(0, w.Counters.Written);
        var line = Assert.Single(_log); // once for the outage, not once per retry or per batch
        Assert.Contains($"{status} scripted {status}", line);
        Assert.Contains("retried with backoff up to 2 times, then dropped (and counted)", line);

        _influx.Answer = _ => 204;
        w.TryWrite(P(1000));
        await Until(() => w.Counters.Written == 1, "not written after the server came back");
        Assert.Equal($"influxdb 2.x at {_influx.Url} takes writes again (510 points were dropped meanwhile)", _log.Last());
    }

    [Fact]
    public async Task A_server_that_recovers_within_the_retries_gets_every_point()
    {
        _influx.Answer = n => n <= 2 ? 503 : 204;
        await using var w = Writer(Options(maxRetries: 5));
        for (var i = 0; i < 10; i++) w.TryWrite(P(i));
        await Until(() => w.Counters.Written == 10, $"written {w.Counters.Written}");
        Assert.Equal(0, w.Counters.Dropped);
        Assert.Equal(2, w.Counters.Retries);
        Assert.Equal(2, _log.Count); // the failure, then that it takes writes again
    }

    [Fact]
    public async Task A_refused_token_is_one_clear_log_line_and_its_points_are_dropped_not_retried()
    {
        _influx.Answer = _ => 401;
        await using var w = Writer(Options());
        for (var round = 1; round <= 3; round++)
        {
            for (var i = 0; i < 10; i++) w.TryWrite(P(100 * round + i));
            await Until(() => w.Counters.Dropped == 10 * round, $"dropped {w.Counters.Dropped}");
        }
        Assert.Equal(0, w.Counters.Retries);
        Assert.All(_influx.Writes.GroupBy(r => r.Body), b => Assert.Single(b));
        Assert.Equal($"influxdb 2.x at {_influx.Url} refused the token (401 unauthorized access): check INFLUX_TOKEN and that it may write to bucket credit of org bank; "
            + "metrics are dropped (and counted) until it is accepted", Assert.Single(_log));
    }

    [Fact]
    public async Task While_the_server_is_down_the_buffer_fills_then_new_points_are_dropped_without_blocking()
    {
        _influx.Answer = _ => 503;
        var w = Writer(Options(buffer: 50, batch: 10, maxRetries: 1000));
        var sw = Stopwatch.StartNew();
        var taken = Enumerable.Range(0, 1000).Count(i => w.TryWrite(P(i))); // a full buffer refuses at once, it does not wait
        Assert.True(sw.ElapsedMilliseconds < 500, $"1000 writes took {sw.ElapsedMilliseconds} ms");
        Assert.InRange(taken, 50, 50 + 2 * 10); // the buffer, plus the two batches the client may hold
        Assert.Equal(1000 - taken, w.Counters.Dropped);
        await Until(() => w.Counters.Retries >= 2, "no retries");

        sw.Restart();
        await w.StopAsync(TimeSpan.FromMilliseconds(100));
        Assert.True(sw.ElapsedMilliseconds < 2_000, $"the stop took {sw.ElapsedMilliseconds} ms with the server down");
        Assert.Equal(1000, w.Counters.Dropped + w.Counters.Written);
        Assert.Equal(0, w.Pending);
        await w.DisposeAsync();
    }

    [Fact]
    public async Task Stop_sends_what_is_queued_without_waiting_for_the_flush_interval()
    {
        var w = Writer(Options(batch: 5_000) with { FlushInterval = TimeSpan.FromSeconds(30) });
        for (var i = 0; i < 10; i++) w.TryWrite(P(i));
        var sw = Stopwatch.StartNew();
        await w.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"the stop took {sw.Elapsed}");
        Assert.Equal(10, w.Counters.Written);
        Assert.Equal(10, _influx.Lines.Count());
        Assert.False(w.TryWrite(P(11)));
    }

    [Fact]
    public async Task A_bucket_picks_the_client_based_writer_and_needs_an_org()
    {
        await using (var v2 = InfluxSink.Create(Options()))
            Assert.IsType<Influx2Writer>(v2);
        await using (var v1 = InfluxSink.Create(new InfluxOptions { Url = _influx.Url }))
            Assert.IsType<Influx1Writer>(v1);
        Assert.Throws<ArgumentException>(() => InfluxSink.Create(Options() with { Org = null }));
    }

    public void Dispose() => _influx.Dispose();
}
