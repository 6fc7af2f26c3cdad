using Monitor.Contracts;
using Monitor.Ingest;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Monitor.Cli.Commands;

/// <summary>
/// The demo's live screen: throughput, progress, alerts by rule, the latest alerts and suspensions; in Chinese by
/// default (the alerts' zh-CN explanations, the commands' Chinese reasons), in English with <c>--lang en</c>.
/// </summary>
internal sealed class DemoView(int totalEvents, int incidents, DemoTexts? texts = null)
{
    private readonly DemoTexts _t = texts ?? DemoTexts.Chinese;
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
                _pending.Enqueue(ReportLines.Alert(a, _t.Lang));
            }
            foreach (var c in report.Commands) _pending.Enqueue(ReportLines.Command(c, _t.Lang));
        }
    }

    public async Task RunLive(PipelineStats stats, Func<bool> done, CancellationToken ct)
    {
        var meter = new RateMeter();
        // The terminal's size is read at every refresh: a window made narrower or shorter gets a view that fits it.
        IRenderable Now() => Render(stats.Events, stats.Duplicates, meter.Rate(stats.Events), AnsiConsole.Profile.Width, AnsiConsole.Profile.Height);
        await AnsiConsole.Live(Now()).AutoClear(false).StartAsync(async ctx =>
        {
            while (!done() && !ct.IsCancellationRequested)
            {
                await Task.Delay(250, ct);
                ctx.UpdateTarget(Now());
            }
            ctx.UpdateTarget(Now());
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

    /// <summary>
    /// The view for a terminal of <paramref name="width"/> columns and <paramref name="height"/> rows: no line wider
    /// than the terminal (display width: a Chinese character takes two columns) and two rows fewer than it has, so
    /// nothing wraps and the view redraws in place (80×24: 22 rows). Texts too long for their room end in "…";
    /// the lists keep their newest lines when rows are short, and the entity column shows from 100 columns.
    /// </summary>
    internal IRenderable Render(long processed, long duplicates, double rate, int width, int height)
    {
        width = Math.Max(MinWidth, width);
        var rows = Math.Max(MinRows, height - 2);
        lock (_lock)
        {
            // The panel: its two borders, a space each side, a label column of 10 and a gap of 1.
            var room = width - 4 - 11;
            var pct = totalEvents == 0 ? 1 : Math.Min(1, (double)processed / totalEvents);
            var counts = $" {pct,4:P0}  {_t.Counts(processed, totalEvents)}";
            var barWidth = Math.Clamp(room - counts.Length, 10, 40);
            var filled = (int)(pct * barWidth);
            var head = new Grid()
                .AddColumn(new GridColumn { Width = 10, NoWrap = true, Padding = new Padding(0, 0, 1, 0) })
                .AddColumn(new GridColumn { NoWrap = true, Padding = new Padding(0) });
            head.AddRow(Label(_t.Progress), Markup.Escape(Fit(new string('█', filled) + new string('░', barWidth - filled) + counts, room)));
            head.AddRow(Label(_t.Throughput), Markup.Escape(Fit(_t.Rate(rate, Produced), room)));
            head.AddRow(Label(_t.EventTime), Markup.Escape(Fit($"{(_eventTime is { } t ? EventJson.FormatTime(t) : "-")}; {_t.Trouble(_deadLetters, duplicates)}", room)));
            head.AddRow(Label(_t.Found), Markup.Escape(Fit(_t.Findings(_byRule.Values.Sum(), _commands.Count, incidents), room)));
            var panel = new Panel(head).Header(Markup.Escape(Fit(_t.Title, width - 6))).Expand();

            // Below the panel (its rows and two borders): three section rules, the counts by rule on up to three
            // rows, then the latest alerts and suspensions in what is left, suspensions taking a third of it (up to
            // 5) when there are any.
            var byRule = ByRule(width, 3);
            var left = Math.Max(2, rows - (head.Rows.Count + 2) - 3 - byRule.Count);
            var shownCommands = Math.Min(_commands.Count, Math.Min(5, Math.Max(1, left / 3)));
            var shownAlerts = Math.Min(_latest.Count, Math.Max(1, left - Math.Max(1, shownCommands)));

            var lines = new List<IRenderable> { panel, Section(_t.ByRule) };
            lines.AddRange(byRule.Select(l => new Markup(l)));
            lines.Add(Section(_t.Latest));
            var latest = _latest.Reverse().Take(shownAlerts).ToList();
            if (latest.Count == 0) lines.Add(NoneYet());
            var ruleWidth = latest.Count == 0 ? 0 : latest.Max(a => a.Rule.GetCellWidth());
            var entityWidth = width >= 100 && latest.Count > 0 ? latest.Max(a => Entity(a).GetCellWidth()) : 0;
            foreach (var a in latest)
            {
                var fixedPart = $"{a.Score,3} {Pad(a.Rule, ruleWidth)}  {(entityWidth > 0 ? Pad(Entity(a), entityWidth) + "  " : "")}";
                var explanation = Fit(Printable.Escape(LogRedaction.Subjects(a.ExplanationIn(_t.Lang))), width - SeverityWidth - 1 - fixedPart.GetCellWidth());
                lines.Add(new Markup($"{Sev(a.Severity)} {Markup.Escape(fixedPart + explanation)}"));
            }
            lines.Add(Section(_t.Suspensions));
            if (_commands.Count == 0) lines.Add(NoneYet());
            foreach (var c in _commands.TakeLast(shownCommands).Reverse())
                lines.Add(new Markup(Markup.Escape(Fit(Printable.Escape(_t.Suspended(c.UserId, c.BranchId) + LogRedaction.Subjects(c.Reasons?.In(_t.Lang) ?? c.Reason)), width))));
            return new Rows(lines);
        }
    }

    /// <summary>Narrower than this, the view is drawn for this width and the terminal wraps it.</summary>
    internal const int MinWidth = 40;

    /// <summary>Shorter than this, the view is drawn for this height and the live display crops it.</summary>
    internal const int MinRows = 14;

    private static Rule Section(string title) => new Rule($"[grey]{Markup.Escape(title)}[/]") { Style = new Style(Color.Grey) }.LeftJustified();

    private static string Label(string text) => $"[bold]{Markup.Escape(text)}[/]";

    private Markup NoneYet() => new($"[grey]{Markup.Escape(_t.NoneYet)}[/]");

    private string Entity(Alert a) => Printable.Escape($"{(_t.Lang == Locales.En ? a.EntityType : ChineseNames.Of(a.EntityType))} {LogRedaction.Entity(a.EntityType, a.EntityId)}");

    /// <summary>"RULE n" for every rule with alerts, most first, packed into at most <paramref name="maxRows"/> rows of <paramref name="width"/>; "+k more" when they do not all fit.</summary>
    private List<string> ByRule(int width, int maxRows)
    {
        var items = _byRule.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Plain: $"{Printable.Escape(kv.Key)} {kv.Value}", Markup: $"{Markup.Escape(Printable.Escape(kv.Key))} [bold]{kv.Value}[/]")).ToList();
        if (items.Count == 0) return [$"[grey]{Markup.Escape(_t.NoneYet)}[/]"];
        var rows = new List<string>();
        var plain = "";
        var markup = "";
        for (var i = 0; i < items.Count; i++)
        {
            var last = rows.Count == maxRows - 1;
            var next = (plain.Length == 0 ? "" : plain + "   ") + items[i].Plain;
            // On the last row, keep room for "+k more" after this item unless it is the last.
            if (next.GetCellWidth() + (last && i < items.Count - 1 ? 3 + _t.More(items.Count - i - 1).GetCellWidth() : 0) <= width)
            {
                markup = (markup.Length == 0 ? "" : markup + "   ") + items[i].Markup;
                plain = next;
                continue;
            }
            if (plain.Length == 0)
            {
                rows.Add(Markup.Escape(Fit(items[i].Plain, width))); // one item wider than the row
                if (last) return rows;
                continue;
            }
            if (last)
            {
                rows.Add(markup + $"   [grey]{Markup.Escape(_t.More(items.Count - i))}[/]");
                return rows;
            }
            rows.Add(markup);
            plain = "";
            markup = "";
            i--; // this item starts the next row
        }
        if (markup.Length > 0) rows.Add(markup);
        return rows;
    }

    /// <summary><paramref name="s"/> cut to <paramref name="width"/> display columns, ending in "…" when cut.</summary>
    internal static string Fit(string s, int width)
    {
        if (width <= 0) return "";
        if (s.GetCellWidth() <= width) return s;
        var cut = new System.Text.StringBuilder();
        var used = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            var w = rune.ToString().GetCellWidth();
            if (used + w > width - 1) break;
            cut.Append(rune.ToString());
            used += w;
        }
        return cut.Append('…').ToString();
    }

    private static string Pad(string s, int width) => s + new string(' ', Math.Max(0, width - s.GetCellWidth()));

    /// <summary>The severity column's display width: the longest severity's in the view's language (critical; 严重).</summary>
    private int SeverityWidth => _t.Severity("critical").GetCellWidth();

    /// <summary>The severity in <see cref="SeverityWidth"/> columns, coloured.</summary>
    private string Sev(string s)
    {
        var text = Markup.Escape(Pad(_t.Severity(s), SeverityWidth));
        return s switch
        {
            "critical" => $"[red bold]{text}[/]",
            "high" => $"[red]{text}[/]",
            "medium" => $"[yellow]{text}[/]",
            _ => $"[grey]{text}[/]",
        };
    }

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
