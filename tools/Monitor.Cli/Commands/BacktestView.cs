using System.Globalization;
using System.Text;
using Monitor.Contracts;
using Monitor.Evaluation;

namespace Monitor.Cli.Commands;

/// <summary>
/// A backtest as the terminal shows it, in 80 columns: a table per rule (alerts under each setting, gained, lost,
/// precision and recall baseline → candidate), then the alerts gained and lost with their explanations (ten per
/// rule and direction; --output has them all), then the suspensions that would change. Subjects are redacted as in
/// every console line (LogRedaction); the JSON file keeps them, as the alerts file does. A flight's report names its
/// sides live and the flight, and its suspensions the flight's withheld ones.
/// </summary>
internal static class BacktestView
{
    public const int Width = 80;
    private const int Listed = 10;

    public static string Format(BacktestReport r, string? store)
    {
        var sb = new StringBuilder();
        var span = r.From is { } f && r.To is { } t ? $", {Local(f):yyyy-MM-dd} to {Local(t):yyyy-MM-dd}" : "";
        var (b, c) = r.Flight is null ? ("the baseline", "the candidate") : ("live", "the flight");
        if (r.Flight is { } flight)
        {
            Line(sb, DemoView.Fit($"flight {Printable.Escape(flight)} against live{span}", Width));
            Line(sb, DemoView.Fit($"base = {r.BaselineSettings}", Width));
            Line(sb, DemoView.Fit($"cand = {Printable.Escape(r.CandidateSettings)}", Width));
        }
        else
        {
            Line(sb, $"backtest of {(r.Events ?? 0).ToString("N0", CultureInfo.InvariantCulture)} events{span}");
            Line(sb, DemoView.Fit($"baseline: {Path.GetFileName(r.BaselineSettings)}; candidate: {Path.GetFileName(r.CandidateSettings)}", Width));
        }
        Line(sb, r.Verdicts is { } v
            ? DemoView.Fit($"verdicts: {v.Confirmed} confirmed, {v.Dismissed} dismissed on alerts of this span in {store}", Width)
            : "no --store: precision and recall need the officers' verdicts");
        sb.Append('\n');
        Line(sb, Row("rule", "base", "cand", "gained", "lost", "precision", "recall"));
        foreach (var rule in r.Rules)
            Line(sb, Row(rule.Rule, N(rule.Baseline), N(rule.Candidate), Signed('+', rule.Gained.Count), Signed('-', rule.Lost.Count),
                Pair(rule.Precision, p => p.Value), Pair(rule.Recall, p => p.Value)));
        Line(sb, Row("all rules", N(r.Totals.Baseline), N(r.Totals.Candidate), Signed('+', r.Totals.Gained), Signed('-', r.Totals.Lost),
            Pair(r.Totals.Precision, p => p.Value), Pair(r.Totals.Recall, p => p.Value)));
        Line(sb, r.Flight is null ? "base, cand: distinct alerts; precision, recall: baseline → candidate" : "base, cand: distinct alerts; precision, recall: live → flight");
        if (r.Verdicts is not null)
        {
            var unjudged = r.Totals.Precision!;
            Line(sb, $"alerts without a verdict: {unjudged.Baseline.Unjudged} under {b}, {unjudged.Candidate.Unjudged} under {c}");
        }

        foreach (var rule in r.Rules.Where(x => x.Gained.Count + x.Lost.Count > 0))
        {
            sb.Append('\n');
            Line(sb, $"{rule.Rule}: {rule.Gained.Count} gained, {rule.Lost.Count} lost");
            List(sb, '+', rule.Gained);
            List(sb, '-', rule.Lost);
        }

        var s = r.Suspensions;
        sb.Append('\n');
        Line(sb, r.Flight is null
            ? $"suspensions: baseline {s.Baseline}, candidate {s.Candidate}; users gained {s.Gained.Count}, lost {s.Lost.Count}, changed {s.Changed.Count}"
            : $"suspensions: live {s.Baseline}, flight {s.Candidate} (withheld); users gained {s.Gained.Count}, lost {s.Lost.Count}, changed {s.Changed.Count}");
        foreach (var g in s.Gained) Line(sb, DemoView.Fit($"  + {Local(g.IssuedAt):yyyy-MM-dd HH:mm} {g.UserId} ({g.BranchId}): {Clean(g.Reason)}", Width));
        foreach (var l in s.Lost) Line(sb, DemoView.Fit($"  - {Local(l.IssuedAt):yyyy-MM-dd HH:mm} {l.UserId} ({l.BranchId}): {Clean(l.Reason)}", Width));
        foreach (var m in s.Changed)
            Line(sb, DemoView.Fit($"  ~ {m.UserId} ({m.Candidate.BranchId}): {Local(m.Baseline.IssuedAt):MM-dd HH:mm} → {Local(m.Candidate.IssuedAt):MM-dd HH:mm}: {Clean(m.Candidate.Reason)}", Width));
        return sb.ToString();
    }

    private static void List(StringBuilder sb, char sign, IReadOnlyList<AlertChange> alerts)
    {
        foreach (var a in alerts.Take(Listed))
        {
            var verdict = a.Verdict is null ? "" : $" [{a.Verdict}]";
            Line(sb, DemoView.Fit($"  {sign} {a.Day} {LogRedaction.Entity(a.EntityType, a.EntityId)} {a.Severity}{verdict}: {Clean(a.Explanation)}", Width));
        }
        if (alerts.Count > Listed) Line(sb, $"  {sign} … and {alerts.Count - Listed} more (--output lists them all)");
    }

    private static string Row(string rule, string b, string c, string gained, string lost, string precision, string recall) =>
        $"{DemoView.Fit(rule, 26),-26} {b,5} {c,5} {gained,6} {lost,6}  {precision,-11}  {recall,-11}".TrimEnd();

    private static string Pair<T>(Sides<T>? sides, Func<T, double?> value) =>
        sides is null ? "-" : $"{Ratio(value(sides.Baseline))} → {Ratio(value(sides.Candidate))}";

    private static string Ratio(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Signed(char sign, int n) => n == 0 ? "0" : $"{sign}{n.ToString(CultureInfo.InvariantCulture)}";

    private static string Clean(string text) => Printable.Escape(LogRedaction.Subjects(text));

    private static DateTimeOffset Local(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8));

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append('\n');
}
