using Monitor.Contracts;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.Metrics.Tests;

public sealed class MetricsRecorderTests
{
    private static BatchReport Batch(params QueryLogEvent[] events) => new([], [], [], null) { Events = events };

    private static long CountOf(Point p) => (long)p.Fields.Single(f => f.Key == "count").Value;

    [Fact]
    public void A_minute_split_over_batches_is_rewritten_with_its_running_count()
    {
        var r = new MetricsRecorder();
        var first = r.Observe(Batch(Ev.Query(at: Ev.Monday10), Ev.Query(at: Ev.Monday10.AddSeconds(20))));
        var second = r.Observe(Batch(Ev.Query(at: Ev.Monday10.AddSeconds(40))));
        Assert.Equal(2, CountOf(Assert.Single(first, p => p.Measurement == "queries")));
        var rewritten = Assert.Single(second, p => p.Measurement == "queries");
        Assert.Equal(3, CountOf(rewritten));
        Assert.Equal(LineProtocol.Format(first.Single(p => p.Measurement == "queries")).Split(' ')[0], LineProtocol.Format(rewritten).Split(' ')[0]); // same series: it overwrites
        Assert.Equal(3, CountOf(Assert.Single(second, p => p.Measurement == "user_queries")));
    }

    [Fact]
    public void Events_older_than_the_horizon_are_not_counted_into_a_forgotten_minute()
    {
        var r = new MetricsRecorder();
        r.Observe(Batch(Ev.Query(at: Ev.Monday10.AddHours(4))));
        var late = r.Observe(Batch(Ev.Query(at: Ev.Monday10)));
        Assert.DoesNotContain(late, p => p.Measurement == "queries");
        Assert.Equal(1, r.TooLate);
    }
}
