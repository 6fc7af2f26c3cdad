using Monitor.Contracts;
using Monitor.Ingest;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.Metrics.Tests;

/// <summary>
/// The open-alerts-by-state metric (docs/metrics.md) a Grafana stat and the critical-alert rule read with <c>last()</c>:
/// when the last open critical alert is settled, the count written next is 0, not nothing (which would leave the stat
/// at the last count).
/// </summary>
public sealed class AlertsByStateTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("monitor-metrics-").FullName;
    private AlertStore _store = null!;

    public async Task InitializeAsync() => _store = await AlertStore.OpenAsync(Path.Combine(_dir, "monitor.db"), new FixedClock(Ev.At(2026, 3, 2, 16)));

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task When_the_last_open_critical_alert_is_dismissed_the_open_critical_count_is_written_as_zero()
    {
        var alert = new Alert
        {
            AlertId = "al-1", Revision = 1, Rule = RuleIds.AdminQuery, EntityType = "user", EntityId = "UA1", UserId = "UA1", BranchId = "SB0101",
            Severity = "critical", Score = 80, Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1, Explanation = "x", Evidence = [],
        };
        await _store.RecordAsync([alert], [], []);
        Assert.Equal(1, await OpenCriticalWritten());

        await _store.TransitionAsync("al-1", AlertStates.Dismissed, new Actor("officer-wang", "officer"), "a test account");
        Assert.Equal(0, await OpenCriticalWritten());
    }

    /// <summary>One round of the reporter's health points (it writes once more when stopped): the open, critical count it wrote.</summary>
    private async Task<long> OpenCriticalWritten()
    {
        var sink = new ListSink();
        await new MetricsReporter(sink, new PipelineStats(), TimeProvider.System, _store).RunAsync(TimeSpan.FromHours(1), new CancellationToken(canceled: true));
        var point = Assert.Single(sink.Points, p => p.Measurement == "alerts_by_state" && Tag(p, "state") == "open" && Tag(p, "severity") == "critical");
        return (long)point.Fields.Single(f => f.Key == "count").Value;
    }

    private static string? Tag(Point p, string key) => p.Tags.FirstOrDefault(t => t.Key == key).Value;

    private sealed class ListSink : IMetricsSink
    {
        public List<Point> Points { get; } = [];
        public MetricsCounters Counters { get; } = new();

        public bool TryWrite(Point point)
        {
            Points.Add(point);
            return true;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
