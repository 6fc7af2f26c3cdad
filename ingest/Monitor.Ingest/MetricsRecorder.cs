using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Metrics;

namespace Monitor.Ingest;

/// <summary>
/// Turns what the pipeline publishes into the InfluxDB measurements of docs/metrics.md. Query volumes are
/// counted per minute of event time and each touched minute is written again with its running count: a point
/// with the same series and time overwrites the last, so a minute split over batches, a redelivery or a
/// replay ends with the right count. Minutes more than <see cref="Horizon"/> behind the newest are forgotten.
/// Every event-time point carries a <c>run</c> tag (<c>live</c>, or a name an analyst gives a replay with
/// candidate settings), so the tuning dashboard can set a candidate against what is live.
/// </summary>
public sealed class MetricsRecorder(string run = "live")
{
    /// <summary>How long a minute's count stays open for late events.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromHours(3);

    private readonly Dictionary<(long Minute, string Branch, string Purpose, string Channel), long> _branch = [];
    private readonly Dictionary<(long Minute, string User, string Purpose, string Channel), (string Branch, long Count)> _user = [];
    private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);
    private long _newestMinute = long.MinValue;
    private long _forgotAt = long.MinValue / 2;

    /// <summary>Events older than the horizon when they arrived, not counted in the per-minute volumes.</summary>
    public long TooLate { get; private set; }

    public List<Point> Observe(BatchReport report)
    {
        var points = new List<Point>();
        var touchedBranch = new HashSet<(long, string, string, string)>();
        var touchedUser = new HashSet<(long, string, string, string)>();
        foreach (var e in report.Events)
        {
            if (!e.IsQuery) continue;
            if (e.ParentBranchId is { } parent) _parents.TryAdd(e.BranchId, parent);
            var minute = e.OccurredAt.ToUnixTimeSeconds() / 60;
            if (minute > _newestMinute) _newestMinute = minute;
            if (minute < _newestMinute - (long)Horizon.TotalMinutes)
            {
                TooLate++;
                continue;
            }
            var purpose = e.Purpose is { } p ? WireNames.Of(p) : "none";
            var channel = e.Channel is { } c ? WireNames.Of(c) : "none";
            var bk = (minute, e.BranchId, purpose, channel);
            _branch[bk] = _branch.GetValueOrDefault(bk) + 1;
            touchedBranch.Add(bk);
            var uk = (minute, e.UserId, purpose, channel);
            _user[uk] = (e.BranchId, _user.GetValueOrDefault(uk).Count + 1);
            touchedUser.Add(uk);
        }
        foreach (var k in touchedBranch)
        {
            var parent = _parents.GetValueOrDefault(k.Item2);
            var head = parent is null ? null : _parents.GetValueOrDefault(parent);
            points.Add(Point.Measure("queries", DateTimeOffset.FromUnixTimeSeconds(k.Item1 * 60)).Tag("run", run)
                .Tag("branch", k.Item2).Tag("parent", parent).Tag("head", head).Tag("purpose", k.Item3).Tag("channel", k.Item4)
                .Field("count", _branch[k]));
        }
        foreach (var k in touchedUser)
        {
            var (branch, count) = _user[k];
            points.Add(Line(Point.Measure("user_queries", DateTimeOffset.FromUnixTimeSeconds(k.Item1 * 60)).Tag("user", k.Item2).Tag("purpose", k.Item3).Tag("channel", k.Item4), branch)
                .Field("count", count));
        }
        foreach (var a in report.Alerts) points.Add(Line(Alert(a, OpenedAs(a)), a.BranchId));
        foreach (var c in report.Commands) points.Add(Line(Command(c, "monitor"), c.BranchId));
        Forget();
        return points;
    }

    /// <summary>
    /// One point per alert, keyed by its id. Tags must not change within an alert, or a later revision would
    /// start a second series instead of overwriting the first: so the <c>severity</c> tag is the severity the
    /// alert opened with, and the <c>latest_severity</c> field follows its rises. Texts name subjects only as
    /// tokens (<see cref="LogRedaction"/>): the API has the details.
    /// </summary>
    public static Point Alert(Alert a, string openedAs) => Point.Measure("alert", a.EventTime)
        .Tag("alert_id", a.AlertId).Tag("rule", a.Rule).Tag("entity_type", a.EntityType).Tag("severity", openedAs)
        .Tag("entity", LogRedaction.Entity(a.EntityType, a.EntityId)).Tag("branch", a.BranchId).Tag("user", a.UserId)
        .Field("latest_severity", a.Severity).Field("level", (long)SeverityNames.Parse(a.Severity) + 1)
        .Field("score", (long)a.Score).Field("findings", (long)a.Count).Field("revision", (long)a.Revision)
        .Field("suspend", a.SuspensionRequested).Field("explanation", LogRedaction.Subjects(a.Explanation));

    public static Point Command(PermissionCommand c, string origin) => Point.Measure("command", c.IssuedAt)
        .Tag("action", c.Action).Tag("user", c.UserId).Tag("branch", c.BranchId).Tag("origin", origin)
        .Field("command_id", c.CommandId).Field("alerts", (long)c.AlertIds.Count).Field("reason", LogRedaction.Subjects(c.Reason));

    /// <summary>The wall-clock health of the pipeline and of the metrics writer itself.</summary>
    public static List<Point> Health(DateTimeOffset now, PipelineStats stats, double eventsPerSecond, MetricsCounters writer)
    {
        var p = Point.Measure("pipeline", now)
            .Field("events", stats.Events).Field("events_per_s", eventsPerSecond).Field("dead_letters", stats.DeadLettered)
            .Field("duplicates", stats.Duplicates).Field("alert_revisions", stats.AlertRevisions).Field("commands", stats.Commands)
            .Field("dead_letter_failures", stats.DeadLetterFailures).Field("store_failures", stats.StoreFailures);
        if (stats.BatchPercentiles(0.5, 0.95, 0.99) is [var p50, var p95, var p99])
            p.Field("batch_p50_ms", p50).Field("batch_p95_ms", p95).Field("batch_p99_ms", p99);
        if (stats.LatestEventTime is { } latest) p.Field("event_delay_s", (now - latest).TotalSeconds);
        var points = new List<Point> { p };
        foreach (var (partition, lag) in stats.Lag)
            points.Add(Point.Measure("consumer_lag", now).Tag("partition", partition.ToString(System.Globalization.CultureInfo.InvariantCulture)).Field("lag", lag));
        points.Add(Point.Measure("metrics_writer", now).Field("written", writer.Written).Field("dropped", writer.Dropped)
            .Field("retries", writer.Retries).Field("failures", writer.Failures));
        return points;
    }

    /// <summary>Adds the run and the branch's line: its parent and the head above that, for drill-down at every level.</summary>
    private Point Line(Point p, string? branch)
    {
        var parent = branch is null ? null : _parents.GetValueOrDefault(branch);
        return p.Tag("run", run).Tag("branch", branch).Tag("parent", parent).Tag("head", parent is null ? null : _parents.GetValueOrDefault(parent));
    }

    /// <summary>An officer's command, with the branch's line as far as this recorder has learnt it.</summary>
    public Point OfficerCommand(PermissionCommand c) => Line(Command(c, "officer"), c.BranchId);

    /// <summary>The severity the alert was first published with (remembered for the last 100,000 alerts).</summary>
    private string OpenedAs(Alert a)
    {
        if (_opened.TryGetValue(a.AlertId, out var severity)) return severity;
        _opened[a.AlertId] = a.Severity;
        _openedOrder.Enqueue(a.AlertId);
        if (_openedOrder.Count > 100_000) _opened.Remove(_openedOrder.Dequeue());
        return a.Severity;
    }

    private readonly Dictionary<string, string> _opened = new(StringComparer.Ordinal);
    private readonly Queue<string> _openedOrder = new();

    private void Forget()
    {
        if (_newestMinute < _forgotAt + 10) return; // every ten minutes of event time is enough
        _forgotAt = _newestMinute;
        var before = _newestMinute - (long)Horizon.TotalMinutes;
        foreach (var k in _branch.Keys.Where(k => k.Minute < before).ToList()) _branch.Remove(k);
        foreach (var k in _user.Keys.Where(k => k.Minute < before).ToList()) _user.Remove(k);
    }
}
