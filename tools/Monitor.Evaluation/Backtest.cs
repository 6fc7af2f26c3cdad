using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Contracts;

namespace Monitor.Evaluation;

/// <summary>An officer's verdict on an alert in the store: confirmed (a violation) or dismissed (a false alert).</summary>
public sealed record Verdict(string AlertId, string Rule, bool Violation)
{
    public string State => Violation ? "confirmed" : "dismissed";
}

/// <summary>What one set of settings gave over the history: its alerts (the last revision of each id) and its suspend commands.</summary>
public sealed class BacktestRun
{
    public BacktestRun(IEnumerable<Alert> alertRevisions, IEnumerable<PermissionCommand> commands)
    {
        Alerts = alertRevisions.GroupBy(a => a.AlertId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Revision)!, StringComparer.Ordinal);
        Suspensions = commands.Where(c => c.Action == "suspend").GroupBy(c => c.CommandId, StringComparer.Ordinal).Select(g => g.First()).OrderBy(c => c.IssuedAt).ThenBy(c => c.CommandId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Distinct alerts by id, each at its highest revision.</summary>
    public IReadOnlyDictionary<string, Alert> Alerts { get; }

    /// <summary>Distinct suspend commands, oldest first.</summary>
    public IReadOnlyList<PermissionCommand> Suspensions { get; }
}

/// <summary>How many of a set's alerts officers confirmed and dismissed, and the share of the judged ones that were violations.</summary>
public sealed record Precision(
    [property: JsonPropertyName("confirmed")] int Confirmed,
    [property: JsonPropertyName("dismissed")] int Dismissed,
    [property: JsonPropertyName("unjudged")] int Unjudged)
{
    /// <summary>confirmed / (confirmed + dismissed); null when none was judged.</summary>
    [JsonPropertyName("value")] public double? Value => Confirmed + Dismissed == 0 ? null : Math.Round((double)Confirmed / (Confirmed + Dismissed), 4);
}

/// <summary>How many of the violations officers confirmed (in the history's span) a set of alerts raises.</summary>
public sealed record Recall(
    [property: JsonPropertyName("confirmed")] int Confirmed,
    [property: JsonPropertyName("known")] int Known)
{
    /// <summary>confirmed raised / confirmed known; null when officers confirmed none.</summary>
    [JsonPropertyName("value")] public double? Value => Known == 0 ? null : Math.Round((double)Confirmed / Known, 4);
}

/// <summary>A figure under the baseline and under the candidate settings.</summary>
public sealed record Sides<T>([property: JsonPropertyName("baseline")] T Baseline, [property: JsonPropertyName("candidate")] T Candidate);

/// <summary>An alert as a backtest lists it: what it says and the officers' verdict on it, if any.</summary>
public sealed record AlertChange(
    [property: JsonPropertyName("alertId")] string AlertId,
    [property: JsonPropertyName("entityType")] string EntityType,
    [property: JsonPropertyName("entityId")] string EntityId,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("branchId")] string? BranchId,
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("eventTime")] DateTimeOffset EventTime,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("score")] int Score,
    [property: JsonPropertyName("explanation")] string Explanation,
    [property: JsonPropertyName("verdict")] string? Verdict)
{
    public static AlertChange Of(Alert a, string? verdict) =>
        new(a.AlertId, a.EntityType, a.EntityId, a.UserId, a.BranchId, a.Day, a.EventTime, a.Severity, a.Score, a.Explanation, verdict);
}

/// <summary>One day's distinct alerts of a rule under each setting (an alert counts on its <c>day</c>).</summary>
public sealed record DayCount(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("baseline")] int Baseline,
    [property: JsonPropertyName("candidate")] int Candidate);

/// <summary>One rule under both settings: distinct alerts, the ones only one of them raises, and the verdicts' scores.</summary>
public sealed record RuleComparison(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("baseline")] int Baseline,
    [property: JsonPropertyName("candidate")] int Candidate,
    [property: JsonPropertyName("gained")] IReadOnlyList<AlertChange> Gained,
    [property: JsonPropertyName("lost")] IReadOnlyList<AlertChange> Lost,
    [property: JsonPropertyName("precision")] Sides<Precision>? Precision,
    [property: JsonPropertyName("recall")] Sides<Recall>? Recall,
    [property: JsonPropertyName("days")] IReadOnlyList<DayCount> Days);

/// <summary>All rules together.</summary>
public sealed record TotalComparison(
    [property: JsonPropertyName("baseline")] int Baseline,
    [property: JsonPropertyName("candidate")] int Candidate,
    [property: JsonPropertyName("gained")] int Gained,
    [property: JsonPropertyName("lost")] int Lost,
    [property: JsonPropertyName("precision")] Sides<Precision>? Precision,
    [property: JsonPropertyName("recall")] Sides<Recall>? Recall);

/// <summary>A suspension as a backtest lists it.</summary>
public sealed record SuspensionItem(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("branchId")] string BranchId,
    [property: JsonPropertyName("commandId")] string CommandId,
    [property: JsonPropertyName("issuedAt")] DateTimeOffset IssuedAt,
    [property: JsonPropertyName("alertIds")] IReadOnlyList<string> AlertIds,
    [property: JsonPropertyName("reason")] string Reason)
{
    public static SuspensionItem Of(PermissionCommand c) => new(c.UserId, c.BranchId, c.CommandId, c.IssuedAt, c.AlertIds, c.Reason);
}

/// <summary>A user suspended under both settings, but by another command (another alert, another time).</summary>
public sealed record SuspensionMove(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("baseline")] SuspensionItem Baseline,
    [property: JsonPropertyName("candidate")] SuspensionItem Candidate);

/// <summary>
/// The suspensions that would change: users the candidate suspends and the baseline does not (gained), the
/// reverse (lost), and users both suspend for a different alert or at a different time (changed).
/// </summary>
public sealed record SuspensionComparison(
    [property: JsonPropertyName("baseline")] int Baseline,
    [property: JsonPropertyName("candidate")] int Candidate,
    [property: JsonPropertyName("gained")] IReadOnlyList<SuspensionItem> Gained,
    [property: JsonPropertyName("lost")] IReadOnlyList<SuspensionItem> Lost,
    [property: JsonPropertyName("changed")] IReadOnlyList<SuspensionMove> Changed);

/// <summary>The verdicts a backtest scored against: those on alerts of the history's span.</summary>
public sealed record VerdictCounts(
    [property: JsonPropertyName("confirmed")] int Confirmed,
    [property: JsonPropertyName("dismissed")] int Dismissed);

/// <summary>
/// The history a backtest compared: how many lines were events (null for a flight, which saw the live traffic rather
/// than a file), and the span of their times.
/// </summary>
public sealed record BacktestHistory(long? Events, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>
/// A backtest's outcome: the same history under the baseline and the candidate settings, rule by rule, with the
/// officers' verdicts scored against both when a store gave them (<see cref="Backtest.Compare"/>). For a flight
/// (<see cref="Flight"/>), the baseline is what live published and the candidate what the flight published.
/// </summary>
public sealed record BacktestReport(
    [property: JsonPropertyName("events")] long? Events,
    [property: JsonPropertyName("from")] DateTimeOffset? From,
    [property: JsonPropertyName("to")] DateTimeOffset? To,
    [property: JsonPropertyName("baselineSettings")] string BaselineSettings,
    [property: JsonPropertyName("candidateSettings")] string CandidateSettings,
    [property: JsonPropertyName("verdicts")] VerdictCounts? Verdicts,
    [property: JsonPropertyName("rules")] IReadOnlyList<RuleComparison> Rules,
    [property: JsonPropertyName("totals")] TotalComparison Totals,
    [property: JsonPropertyName("suspensions")] SuspensionComparison Suspensions)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Chinese explanations stay readable
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The flight compared with live; null for a replayed backtest (left out of the JSON).</summary>
    [JsonPropertyName("flight")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Flight { get; init; }

    public static BacktestReport FromJson(string json) => JsonSerializer.Deserialize<BacktestReport>(json, Json) ?? throw new JsonException("null report");

    /// <summary>Every day of the history (event days in UTC+8) and any later day an alert names, in order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Days => Rules.SelectMany(r => r.Days).Select(d => d.Day).Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <summary>One rule's alerts scored by the officers' verdicts.</summary>
public sealed record RuleScore(string Rule, int Alerts, Precision Precision, Recall Recall);

/// <summary>A run's alerts scored by the officers' verdicts in the store, rule by rule (<c>evaluate --store</c>).</summary>
public sealed record VerdictEvaluation(IReadOnlyList<RuleScore> Rules, RuleScore Total, int Confirmed, int Dismissed)
{
    public string Format(string store)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"officers' verdicts: {Confirmed} confirmed, {Dismissed} dismissed on alerts of this span").Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"  (from {store})").Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"{"rule",-26} {"alerts",6} {"confirmed",9} {"dismissed",9} {"unjudged",8} {"precision",9} {"recall",6}").Append('\n');
        foreach (var r in Rules.Append(Total))
            sb.Append(CultureInfo.InvariantCulture, $"{r.Rule,-26} {r.Alerts,6} {r.Precision.Confirmed,9} {r.Precision.Dismissed,9} {r.Precision.Unjudged,8} {Ratio(r.Precision.Value),9} {Ratio(r.Recall.Value),6}").Append('\n');
        sb.Append("precision: confirmed / (confirmed + dismissed) among the alerts;").Append('\n');
        sb.Append("recall: confirmed alerts raised / confirmed alerts in the store").Append('\n');
        return sb.ToString();
    }

    private static string Ratio(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}

/// <summary>The pure comparison behind <c>monitor backtest</c> and <c>monitor evaluate --store</c>.</summary>
public static class Backtest
{
    /// <summary>
    /// Compares two runs over the same history (two replays, or live and a flight). Alerts are matched by id (rule, entity and period, the same under
    /// any settings): gained are the candidate's ids the baseline lacks, lost the reverse. With
    /// <paramref name="verdicts"/> (null: no store), each run's precision per rule is confirmed / (confirmed +
    /// dismissed) among its alerts, its recall the confirmed alerts it raises over all confirmed alerts of the rule.
    /// </summary>
    public static BacktestReport Compare(BacktestRun baseline, BacktestRun candidate, IReadOnlyList<Verdict>? verdicts, BacktestHistory history,
        string baselineSettings, string candidateSettings, string? flight = null)
    {
        var byId = verdicts?.GroupBy(v => v.AlertId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        string? VerdictOf(string id) => byId is not null && byId.TryGetValue(id, out var v) ? v.State : null;
        var days = HistoryDays(history);
        var rules = baseline.Alerts.Values.Select(a => a.Rule).Concat(candidate.Alerts.Values.Select(a => a.Rule)).Concat(verdicts?.Select(v => v.Rule) ?? [])
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var comparisons = new List<RuleComparison>();
        foreach (var rule in rules)
        {
            var b = baseline.Alerts.Values.Where(a => a.Rule == rule).ToList();
            var c = candidate.Alerts.Values.Where(a => a.Rule == rule).ToList();
            var gained = c.Where(a => !baseline.Alerts.ContainsKey(a.AlertId)).OrderBy(a => a.EventTime).ThenBy(a => a.AlertId, StringComparer.Ordinal).Select(a => AlertChange.Of(a, VerdictOf(a.AlertId))).ToList();
            var lost = b.Where(a => !candidate.Alerts.ContainsKey(a.AlertId)).OrderBy(a => a.EventTime).ThenBy(a => a.AlertId, StringComparer.Ordinal).Select(a => AlertChange.Of(a, VerdictOf(a.AlertId))).ToList();
            var ruleVerdicts = verdicts?.Where(v => v.Rule == rule).ToList();
            var perDay = days.Concat(b.Select(a => a.Day)).Concat(c.Select(a => a.Day)).Distinct().Order(StringComparer.Ordinal)
                .Select(d => new DayCount(d, b.Count(a => a.Day == d), c.Count(a => a.Day == d))).ToList();
            comparisons.Add(new RuleComparison(rule, b.Count, c.Count, gained, lost,
                ruleVerdicts is null ? null : new Sides<Precision>(PrecisionOf(b, byId!), PrecisionOf(c, byId!)),
                ruleVerdicts is null ? null : new Sides<Recall>(RecallOf(b, ruleVerdicts), RecallOf(c, ruleVerdicts)),
                perDay));
        }
        var totals = new TotalComparison(baseline.Alerts.Count, candidate.Alerts.Count, comparisons.Sum(r => r.Gained.Count), comparisons.Sum(r => r.Lost.Count),
            byId is null ? null : new Sides<Precision>(PrecisionOf(baseline.Alerts.Values, byId), PrecisionOf(candidate.Alerts.Values, byId)),
            verdicts is null ? null : new Sides<Recall>(RecallOf(baseline.Alerts.Values, verdicts), RecallOf(candidate.Alerts.Values, verdicts)));
        var counts = byId is null ? null : new VerdictCounts(byId.Values.Count(v => v.Violation), byId.Values.Count(v => !v.Violation));
        return new BacktestReport(history.Events, history.From, history.To, baselineSettings, candidateSettings, counts, comparisons, totals,
            CompareSuspensions(baseline.Suspensions, candidate.Suspensions)) { Flight = flight };
    }

    /// <summary>
    /// Per rule, how the officers' verdicts score one set of alerts (<c>evaluate --store</c>): its precision, and
    /// its recall over the confirmed alerts in <paramref name="verdicts"/>; rules with neither alerts nor verdicts
    /// are left out. The last row is all rules together.
    /// </summary>
    public static VerdictEvaluation Score(IEnumerable<Alert> alertRevisions, IReadOnlyList<Verdict> verdicts)
    {
        var run = new BacktestRun(alertRevisions, []);
        var byId = verdicts.GroupBy(v => v.AlertId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var rows = run.Alerts.Values.Select(a => a.Rule).Concat(verdicts.Select(v => v.Rule)).Distinct().Order(StringComparer.Ordinal)
            .Select(rule =>
            {
                var alerts = run.Alerts.Values.Where(a => a.Rule == rule).ToList();
                return new RuleScore(rule, alerts.Count, PrecisionOf(alerts, byId), RecallOf(alerts, verdicts.Where(v => v.Rule == rule)));
            }).ToList();
        var total = new RuleScore("all rules", run.Alerts.Count, PrecisionOf(run.Alerts.Values, byId), RecallOf(run.Alerts.Values, verdicts));
        return new VerdictEvaluation(rows, total, byId.Values.Count(v => v.Violation), byId.Values.Count(v => !v.Violation));
    }

    private static Precision PrecisionOf(IEnumerable<Alert> alerts, IReadOnlyDictionary<string, Verdict> verdicts)
    {
        int confirmed = 0, dismissed = 0, unjudged = 0;
        foreach (var a in alerts)
        {
            if (!verdicts.TryGetValue(a.AlertId, out var v)) unjudged++;
            else if (v.Violation) confirmed++;
            else dismissed++;
        }
        return new Precision(confirmed, dismissed, unjudged);
    }

    private static Recall RecallOf(IEnumerable<Alert> alerts, IEnumerable<Verdict> verdicts)
    {
        var ids = alerts.Select(a => a.AlertId).ToHashSet(StringComparer.Ordinal);
        var confirmed = verdicts.Where(v => v.Violation).Select(v => v.AlertId).Distinct(StringComparer.Ordinal).ToList();
        return new Recall(confirmed.Count(ids.Contains), confirmed.Count);
    }

    private static SuspensionComparison CompareSuspensions(IReadOnlyList<PermissionCommand> baseline, IReadOnlyList<PermissionCommand> candidate)
    {
        // A replay suspends a user at most once (no officer reinstates during it): one command per user, the first;
        // over a flight's days, where officers may reinstate and the user be suspended again, the first of the period.
        var b = baseline.GroupBy(c => c.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var c = candidate.GroupBy(x => x.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var gained = c.Values.Where(x => !b.ContainsKey(x.UserId)).OrderBy(x => x.IssuedAt).ThenBy(x => x.UserId, StringComparer.Ordinal).Select(SuspensionItem.Of).ToList();
        var lost = b.Values.Where(x => !c.ContainsKey(x.UserId)).OrderBy(x => x.IssuedAt).ThenBy(x => x.UserId, StringComparer.Ordinal).Select(SuspensionItem.Of).ToList();
        var changed = b.Values.Where(x => c.TryGetValue(x.UserId, out var y) && y.CommandId != x.CommandId).OrderBy(x => x.IssuedAt).ThenBy(x => x.UserId, StringComparer.Ordinal)
            .Select(x => new SuspensionMove(x.UserId, SuspensionItem.Of(x), SuspensionItem.Of(c[x.UserId]))).ToList();
        return new SuspensionComparison(baseline.Count, candidate.Count, gained, lost, changed);
    }

    /// <summary>The days from the first event's to the last event's, as local days in UTC+8 (yyyy-MM-dd).</summary>
    private static List<string> HistoryDays(BacktestHistory history)
    {
        var days = new List<string>();
        if (history.From is not { } from || history.To is not { } to) return days;
        var last = DateOnly.FromDateTime(to.ToOffset(TimeSpan.FromHours(8)).DateTime);
        for (var d = DateOnly.FromDateTime(from.ToOffset(TimeSpan.FromHours(8)).DateTime); d <= last && days.Count < 3660; d = d.AddDays(1))
            days.Add(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return days;
    }
}
