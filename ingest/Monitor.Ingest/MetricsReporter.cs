using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Metrics;
using Monitor.Store;

namespace Monitor.Ingest;

/// <summary>
/// Feeds a metrics sink: each published batch through <see cref="MetricsRecorder"/>, officers' commands as
/// they are sent, and every interval the pipeline's health, the writer's own counters, the suppressions in force
/// with those about to expire (<see cref="SuppressionReminder"/>, when <see cref="Suppressions"/> is given) and the
/// alert counts by state and severity from the store (every state and severity, 0 included). Sink writes never
/// block, so detection never waits for InfluxDB.
/// </summary>
public sealed class MetricsReporter(IMetricsSink sink, PipelineStats stats, TimeProvider clock, AlertStore? store = null, string run = "live")
{
    private readonly MetricsRecorder _recorder = new(run);
    private readonly Lock _lock = new();

    /// <summary>The suppressions the detectors judge by (the settings file's and the store's); null writes none.</summary>
    public Func<IReadOnlyList<Monitor.Detectors.Settings.Suppression>>? Suppressions { get; init; }

    /// <summary>More points written with the health ones (the notifier's counts, docs/metrics.md); null writes none.</summary>
    public Func<DateTimeOffset, IEnumerable<Point>>? More { get; init; }

    public void Observe(BatchReport report)
    {
        lock (_lock) foreach (var p in _recorder.Observe(report)) sink.TryWrite(p);
    }

    /// <summary>A command an officer caused (a reinstatement).</summary>
    public void Officer(PermissionCommand command)
    {
        lock (_lock) sink.TryWrite(_recorder.OfficerCommand(command));
    }

    /// <summary>Writes the health points every <paramref name="every"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken ct)
    {
        _lastEvents = stats.Events;
        _lastAt = clock.GetUtcNow();
        using var timer = new PeriodicTimer(every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await WriteHealthAsync();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        await WriteHealthAsync(); // the last word, also for runs shorter than one interval
    }

    private long _lastEvents;
    private DateTimeOffset _lastAt;

    private async Task WriteHealthAsync()
    {
        var now = clock.GetUtcNow();
        var events = stats.Events;
        var rate = (events - _lastEvents) / Math.Max(0.001, (now - _lastAt).TotalSeconds);
        (_lastEvents, _lastAt) = (events, now);
        foreach (var p in MetricsRecorder.Health(now, stats, rate, sink.Counters)) sink.TryWrite(p);
        if (Suppressions is { } suppressions)
            foreach (var p in SuppressionReminder.Points(suppressions(), now)) sink.TryWrite(p);
        if (More is { } more)
            foreach (var p in more(now)) sink.TryWrite(p);
        if (store is null) return;
        List<(string State, string Severity, long Count)> counts;
        try
        {
            counts = await store.CountAlertsAsync();
        }
        catch (System.Data.Common.DbException)
        {
            return; // the store is failing: the ingest reports it (not ready, retrying); these counts wait for the next interval
        }
        // Every state and severity, none as 0: a count that falls to none must read 0 (on the dashboards and in the
        // critical-alert rule), not stay at the last count written.
        var found = counts.ToDictionary(c => (c.State, c.Severity), c => c.Count);
        var all = AlertStates.All.SelectMany(state => Severities.Select(severity => (state, severity))).Union(found.Keys);
        foreach (var (state, severity) in all)
            sink.TryWrite(Point.Measure("alerts_by_state", now).Tag("state", state).Tag("severity", severity).Field("count", found.GetValueOrDefault((state, severity))));
    }

    private static readonly string[] Severities = [.. Enum.GetValues<Severity>().Select(SeverityNames.Of)];
}
