using System.IO.Compression;
using System.Net;
using System.Text;
using Xunit;

namespace Monitor.Metrics.Tests;

/// <summary>The 1.x line-protocol writer against a scripted InfluxDB: batching and gzip, retry with backoff, drops counted, never blocking.</summary>
public sealed class Influx1WriterTests
{
    private sealed class FakeInflux(Func<int, HttpStatusCode> answer) : HttpMessageHandler
    {
        public List<(Uri Uri, string Body, string? Encoding, string? Auth)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var bytes = await request.Content!.ReadAsByteArrayAsync(ct);
            var gzip = request.Content.Headers.ContentEncoding.FirstOrDefault();
            var body = gzip == "gzip" ? new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)).ReadToEnd() : Encoding.UTF8.GetString(bytes);
            lock (Requests) Requests.Add((request.RequestUri!, body, gzip, request.Headers.Authorization?.ToString()));
            return new HttpResponseMessage(answer(Requests.Count)) { Content = new StringContent("{\"error\":\"scripted\"}") };
        }
    }

    private static InfluxOptions Options(int buffer = 1000) => new()
    {
        Url = new Uri("http://influx.test:8086"), Database = "credit monitor", BufferPoints = buffer, BatchPoints = 100,
        FlushInterval = TimeSpan.FromMilliseconds(20), FirstRetry = TimeSpan.FromMilliseconds(10), MaxRetry = TimeSpan.FromMilliseconds(40),
    };

    private static Point P(int i) => Point.Measure("m", DateTimeOffset.FromUnixTimeMilliseconds(1_000 + i)).Field("i", (long)i);

    private static async Task Until(Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++) await Task.Delay(10);
        Assert.True(done());
    }

    [Fact]
    public async Task Points_go_in_gzip_batches_to_the_1x_write_endpoint_with_ms_precision()
    {
        var influx = new FakeInflux(_ => HttpStatusCode.NoContent);
        await using var w = new Influx1Writer(Options(), influx);
        for (var i = 0; i < 250; i++) Assert.True(w.TryWrite(P(i)));
        await Until(() => w.Counters.Written == 250);
        Assert.All(influx.Requests, r => Assert.Equal("http://influx.test:8086/write?db=credit%20monitor&precision=ms", r.Uri.AbsoluteUri));
        Assert.All(influx.Requests, r => Assert.Equal("gzip", r.Encoding));
        Assert.True(influx.Requests.Count >= 3);
        Assert.Equal(250, influx.Requests.Sum(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.StartsWith("m i=0i 1000\n", influx.Requests[0].Body);
    }

    [Fact]
    public async Task A_failing_server_is_retried_with_backoff_until_it_takes_the_batch()
    {
        var influx = new FakeInflux(n => n <= 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.NoContent);
        await using var w = new Influx1Writer(Options(), influx);
        for (var i = 0; i < 10; i++) w.TryWrite(P(i));
        await Until(() => w.Counters.Written == 10);
        Assert.Equal(3, w.Counters.Retries);
        Assert.Equal(3, w.Counters.Failures);
        Assert.Equal(0, w.Counters.Dropped);
        Assert.All(influx.Requests, r => Assert.Equal(influx.Requests[0].Body, r.Body));
    }

    [Fact]
    public async Task A_batch_refused_as_bad_is_dropped_and_counted_not_retried()
    {
        var influx = new FakeInflux(n => n == 1 ? HttpStatusCode.BadRequest : HttpStatusCode.NoContent);
        await using var w = new Influx1Writer(Options(), influx);
        w.TryWrite(P(1));
        await Until(() => w.Counters.Dropped == 1);
        w.TryWrite(P(2));
        await Until(() => w.Counters.Written == 1);
        Assert.Equal(0, w.Counters.Retries);
    }

    [Fact]
    public async Task While_the_server_is_down_the_buffer_fills_then_new_points_are_dropped_without_blocking()
    {
        var influx = new FakeInflux(_ => HttpStatusCode.ServiceUnavailable);
        var w = new Influx1Writer(Options(buffer: 50), influx);
        var taken = Enumerable.Range(0, 1000).Count(i => w.TryWrite(P(i))); // returns at once: a full buffer refuses, it does not wait
        Assert.InRange(taken, 50, 150); // the buffer, plus what the loop took into its batch
        Assert.Equal(1000 - taken, w.Counters.Dropped);
        await Until(() => w.Counters.Retries >= 2);
        await w.StopAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(1000, w.Counters.Dropped + w.Counters.Written);
    }
}
