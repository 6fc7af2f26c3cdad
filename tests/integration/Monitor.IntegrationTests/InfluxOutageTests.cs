using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Metrics;
using Monitor.Simulator;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>InfluxDB goes away during a run: detection is untouched, metrics wait in the bounded buffer, overflow is counted, writing resumes when it is back, and the outage is said once, not per retry.</summary>
public sealed class InfluxOutageTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    /// <summary>Counts what is offered to the writer, so nothing can vanish uncounted.</summary>
    private sealed class Offered(IMetricsSink inner) : IMetricsSink
    {
        public long Count;
        public MetricsCounters Counters => inner.Counters;
        public bool TryWrite(Point point)
        {
            Interlocked.Increment(ref Count);
            return inner.TryWrite(point);
        }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static async Task<(List<string> Alerts, List<string> Commands)> Replay(string events, Action<ReplayRunner>? observe = null)
    {
        await using var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 6, 1, 0)));
        var runner = new ReplayRunner(graph, batchSize: 512);
        observe?.Invoke(runner);
        var alerts = new StringWriter();
        var commands = new StringWriter();
        await runner.RunAsync(new StringReader(events), alerts, commands, null);
        return ([.. alerts.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)], [.. commands.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
    }

    [Fact]
    public async Task Detection_goes_on_through_an_influx_outage_and_metrics_are_retried_then_drops_counted()
    {
        const string db = "outage";
        await influx.CreateDatabaseAsync(db);
        var events = string.Join("\n", new BankSimulator(new SimulationOptions { Seed = 3, Days = 3 }).Events().Select(EventJson.Serialize));
        var baseline = await Replay(events);
        Assert.NotEmpty(baseline.Commands);

        await influx.StopAsync();
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var writer = new Influx1Writer(new InfluxOptions
        {
            Url = influx.Url, Database = db, BufferPoints = 300, BatchPoints = 100,
            FlushInterval = TimeSpan.FromMilliseconds(20), FirstRetry = TimeSpan.FromMilliseconds(50), MaxRetry = TimeSpan.FromMilliseconds(200),
        }, log: said.Enqueue);
        var offered = new Offered(writer);
        var during = await Replay(events, r => r.BatchPublished += new MetricsReporter(offered, r.Stats, TimeProvider.System).Observe);

        Assert.Equal(baseline.Alerts, during.Alerts);
        Assert.Equal(baseline.Commands, during.Commands);
        for (var i = 0; i < 100 && writer.Counters.Retries < 2; i++) await Task.Delay(20);
        Assert.True(writer.Counters.Retries >= 2 && writer.Counters.Failures >= 2, $"retries {writer.Counters.Retries}, failures {writer.Counters.Failures}");
        Assert.True(offered.Count > 300, $"the run offered only {offered.Count} points");
        Assert.True(writer.Counters.Dropped >= offered.Count - 400, $"dropped {writer.Counters.Dropped} of {offered.Count}"); // all but the buffer and one batch
        Assert.Equal(0, writer.Counters.Written);

        await influx.StartAsync();
        for (var i = 0; i < 300 && (writer.Pending > 0 || writer.Counters.Written + writer.Counters.Dropped < offered.Count); i++) await Task.Delay(50);
        Assert.Equal(offered.Count, writer.Counters.Written + writer.Counters.Dropped);
        Assert.True(writer.Counters.Written >= 300, $"only {writer.Counters.Written} buffered points were written after the outage");
        var rows = InfluxWriteTests.Rows(await influx.QueryAsync(db, "SELECT count(\"count\") FROM \"queries\""));
        Assert.True(rows.Count == 1 && rows[0]["count"].GetInt64() > 0, "no query-volume points reached InfluxDB after the outage");
        // Said once when it went, once when it came back: not once per retry.
        Assert.Collection(said,
            l => Assert.StartsWith($"influxdb 1.x at {influx.Url}: write failed, retried with backoff", l),
            l => Assert.Equal($"influxdb 1.x at {influx.Url} takes writes again ({writer.Counters.Dropped} points were dropped meanwhile)", l));
        await writer.DisposeAsync();
    }
}
