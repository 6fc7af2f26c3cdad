using Monitor.Contracts;
using Monitor.Ingest;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Monitor.Cli.Commands;

/// <summary>The demo's live screen: throughput, progress, alerts by rule, the latest alerts and suspensions.</summary>
internal sealed class DemoView(int totalEvents, int incidents)
{
    private readonly object _lock = new();
    private readonly List<Alert> _alerts = [];
    private readonly List<PermissionCommand> _commands = [];
    private readonly Dictionary<string, int> _byRule = [];
    private readonly Queue<Alert> _latest = new();
    private readonly Queue<string> _pending = new();
    private DateTimeOffset? _eventTime;
    private long _deadLetters;

    public int Produced { get; set; }

    public IReadOnlyList<Alert> Alerts
    {
        get { lock (_lock) return [.. _alerts]; }
    }

    public IReadOnlyList<PermissionCommand> Commands
    {
        get { lock (_lock) return [.. _commands]; }
    }

    public void Add(BatchReport report)
    {
        lock (_lock)
        {
            _alerts.AddRange(report.Alerts);
            _commands.AddRange(report.Commands);
            _deadLetters += report.DeadLetters.Count;
            if (report.LatestEventTime is { } t && (_eventTime is null || t > _eventTime)) _eventTime = t;
            foreach (var a in report.Alerts.Where(a => a.Revision == 1))
            {
                _byRule[a.Rule] = _byRule.GetValueOrDefault(a.Rule) + 1;
                _latest.Enqueue(a);
                if (_latest.Count > 8) _latest.Dequeue();
                _pending.Enqueue(ReportLines.Alert(a));
            }
            foreach (var c in report.Commands) _pending.Enqueue(ReportLines.Command(c));
        }
    }

    public async Task RunLive(PipelineStats stats, Func<bool> done, CancellationToken ct)
    {
        var meter = new RateMeter();
        await AnsiConsole.Live(Render(stats, meter)).AutoClear(false).StartAsync(async ctx =>
        {
            while (!done() && !ct.IsCancellationRequested)
            {
                await Task.Delay(250, ct);
                ctx.UpdateTarget(Render(stats, meter));
            }
            ctx.UpdateTarget(Render(stats, meter));
        });
    }

    public async Task RunPlain(PipelineStats stats, Func<bool> done, CancellationToken ct)
    {
        var meter = new RateMeter();
        var lastProgress = DateTime.UtcNow;
        while (true)
        {
            var finished = done();
            lock (_lock)
                while (_pending.TryDequeue(out var line)) Console.WriteLine(line);
            if (finished || ct.IsCancellationRequested) break;
            if (DateTime.UtcNow - lastProgress > TimeSpan.FromSeconds(2))
            {
                lastProgress = DateTime.UtcNow;
                Console.WriteLine($"... {stats.Events}/{totalEvents} events processed, {meter.Rate(stats.Events):F0} events/s");
            }
            await Task.Delay(200, ct);
        }
    }

    private IRenderable Render(PipelineStats stats, RateMeter meter)
    {
        lock (_lock)
        {
            var processed = stats.Events;
            var pct = totalEvents == 0 ? 1 : (double)processed / totalEvents;
            var bar = new string('█', (int)(pct * 40)) + new string('░', 40 - (int)(pct * 40));
            var head = new Grid().AddColumn().AddColumn();
            head.AddRow("[bold]progress[/]", $"{bar} {pct:P0}  ({processed:N0} of {totalEvents:N0} events; produced {Produced:N0})");
            head.AddRow("[bold]throughput[/]", $"{meter.Rate(processed):N0} events/s");
            head.AddRow("[bold]event time[/]", _eventTime is { } t ? Markup.Escape(EventJson.FormatTime(t)) : "-");
            head.AddRow("[bold]alerts[/]", $"{_byRule.Values.Sum()} alerts, {_commands.Count} suspensions, {_deadLetters} dead letters, {stats.Duplicates} duplicates; {incidents} incidents injected");

            var rules = new Table().Border(TableBorder.Rounded).Title("alerts by rule").AddColumn("rule").AddColumn(new TableColumn("alerts").RightAligned());
            foreach (var (rule, n) in _byRule.OrderByDescending(kv => kv.Value)) rules.AddRow(rule, n.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var latest = new Table().Border(TableBorder.Rounded).Title("latest alerts").AddColumn("sev").AddColumn("score").AddColumn("rule").AddColumn("entity").AddColumn("explanation");
            foreach (var a in _latest.Reverse())
                latest.AddRow(Sev(a.Severity), a.Score.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Rule, Markup.Escape(Printable.Escape($"{a.EntityType} {LogRedaction.Entity(a.EntityType, a.EntityId)}")), Markup.Escape(Printable.Escape(Trim(LogRedaction.Subjects(a.Explanation), 90))));

            var suspensions = new Table().Border(TableBorder.Rounded).Title("suspension commands").AddColumn("user").AddColumn("branch").AddColumn("reason");
            foreach (var c in _commands.TakeLast(5))
                suspensions.AddRow(Markup.Escape(Printable.Escape(c.UserId)), Markup.Escape(Printable.Escape(c.BranchId)), Markup.Escape(Printable.Escape(Trim(LogRedaction.Subjects(c.Reason), 100))));

            return new Rows(new Panel(head).Header("Monitor demo: simulated bank on an embedded Kafka"), rules, latest, suspensions);
        }
    }

    private static string Sev(string s) => s switch
    {
        "critical" => "[red bold]critical[/]",
        "high" => "[red]high[/]",
        "medium" => "[yellow]medium[/]",
        _ => "[grey]low[/]",
    };

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private sealed class RateMeter
    {
        private long _last;
        private DateTime _at = DateTime.UtcNow;
        private double _rate;

        public double Rate(long count)
        {
            var now = DateTime.UtcNow;
            var dt = (now - _at).TotalSeconds;
            if (dt < 0.5) return _rate;
            _rate = (count - _last) / dt;
            _last = count;
            _at = now;
            return _rate;
        }
    }
}
