using System.Globalization;
using Monitor.Evaluation;
using ScottPlot;

namespace Monitor.Cli.Commands;

/// <summary>
/// A backtest's chart (ScottPlot, drawn headless through SkiaSharp): one panel for all rules, then one per rule with
/// alerts under either setting, two columns of panels; in each, per day, the baseline's (live's) distinct alerts (grey)
/// beside the candidate's (the flight's, blue). Labels are ASCII: a server need not have a CJK font.
/// </summary>
internal static class BacktestChart
{
    private const int PanelWidth = 640;
    private const int PanelHeight = 260;
    private static readonly Color BaselineColor = Color.FromHex("#9e9e9e");
    private static readonly Color CandidateColor = Color.FromHex("#1f77b4");

    public static byte[] Png(BacktestReport report)
    {
        var days = report.Days;
        var (b, c) = report.Flight is null ? ("baseline", "candidate") : ("live", "flight"); // the flight's name may need a CJK font
        var panels = new List<(string Title, IReadOnlyList<DayCount> Days)>
        {
            ($"all rules: {b} {report.Totals.Baseline}, {c} {report.Totals.Candidate}",
                [.. days.Select(d => new DayCount(d, report.Rules.Sum(r => r.Days.FirstOrDefault(x => x.Day == d)?.Baseline ?? 0), report.Rules.Sum(r => r.Days.FirstOrDefault(x => x.Day == d)?.Candidate ?? 0)))]),
        };
        foreach (var rule in report.Rules.Where(r => r.Baseline + r.Candidate > 0))
            panels.Add(($"{rule.Rule}: {b} {rule.Baseline}, {c} {rule.Candidate} (+{rule.Gained.Count} -{rule.Lost.Count})", rule.Days));

        var columns = panels.Count == 1 ? 1 : 2;
        var rows = (panels.Count + columns - 1) / columns;
        var multiplot = new Multiplot(Panel(panels[0].Title, days, panels[0].Days, (b, c))); // a Multiplot starts with one plot
        for (var i = 1; i < panels.Count; i++) multiplot.AddPlot(Panel(panels[i].Title, days, panels[i].Days, null));
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: rows, columns: columns);
        return multiplot.Render(PanelWidth * columns, PanelHeight * rows).GetImageBytes(ImageFormat.Png);
    }

    private static Plot Panel(string title, IReadOnlyList<string> days, IReadOnlyList<DayCount> counts, (string Baseline, string Candidate)? legend)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < days.Count; i++)
        {
            var c = counts.FirstOrDefault(x => x.Day == days[i]);
            bars.Add(new Bar { Position = i - 0.2, Value = c?.Baseline ?? 0, FillColor = BaselineColor, Size = 0.4, LineWidth = 0 });
            bars.Add(new Bar { Position = i + 0.2, Value = c?.Candidate ?? 0, FillColor = CandidateColor, Size = 0.4, LineWidth = 0 });
        }
        plot.Add.Bars(bars);
        plot.Title(title, size: 13);
        var every = Math.Max(1, (days.Count + 9) / 10); // at most about ten day labels a panel
        var ticks = days.Select((d, i) => (d, i)).Where(x => x.i % every == 0)
            .Select(x => new Tick(x.i, DateOnly.TryParseExact(x.d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day.ToString("MM-dd", CultureInfo.InvariantCulture) : x.d)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.Label.Text = "alerts";
        plot.Axes.Margins(bottom: 0);
        plot.HideGrid();
        var most = counts.Count == 0 ? 0 : counts.Max(c => Math.Max(c.Baseline, c.Candidate));
        plot.Axes.SetLimits(-0.7, Math.Max(days.Count, 1) - 0.3, 0, Math.Max(1, most * 1.15));
        if (legend is { } names)
        {
            plot.Legend.IsVisible = true;
            plot.Legend.Alignment = Alignment.UpperLeft;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = names.Baseline, FillColor = BaselineColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = names.Candidate, FillColor = CandidateColor });
        }
        return plot;
    }
}
