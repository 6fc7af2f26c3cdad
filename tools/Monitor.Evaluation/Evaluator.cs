using System.Globalization;
using System.Text;
using Monitor.Contracts;
using Monitor.Simulator;

namespace Monitor.Evaluation;

/// <summary>
/// How one labelled incident fared: found or missed, how soon after it began, and whether the suspension it demands came;
/// with the events, per expected rule that found it how soon after its threshold was crossed (<see cref="ThresholdCrossing"/>).
/// </summary>
public sealed record IncidentResult(IncidentLabel Label, bool Detected, TimeSpan? TimeToDetect, IReadOnlyList<string> AlertIds, int SuspendCommands)
{
    public IReadOnlyDictionary<string, TimeSpan> ByRule { get; init; } = new Dictionary<string, TimeSpan>();
}

/// <summary>Time to detect of one rule over the incidents it found: how many, the median and the worst.</summary>
public sealed record RuleTiming(string Rule, int Incidents, TimeSpan Median, TimeSpan Worst);

/// <summary>
/// How a stretch of ordinary life that must stay quiet fared (a quiet label: a calendar peak, a new hire ramping up):
/// the alerts raised on it, each one a false alert.
/// </summary>
public sealed record QuietResult(IncidentLabel Label, IReadOnlyList<Alert> Alerts);

/// <summary>The comparison of a run's alerts and commands with the labels of what was injected.</summary>
public sealed record EvaluationReport(
    IReadOnlyList<IncidentResult> Incidents,
    int AlertsOnUntouchedUsers,
    int UntouchedUsersSuspended,
    long UserDays,
    IReadOnlyList<Alert> FalseAlerts)
{
    /// <summary>Per rule, time to detect from the first moment its threshold was crossed (empty without the events).</summary>
    public IReadOnlyList<RuleTiming> Timings => Incidents.SelectMany(i => i.ByRule).GroupBy(kv => kv.Key).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g =>
        {
            var sorted = g.Select(kv => kv.Value).Order().ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
            return new RuleTiming(g.Key, sorted.Count, median, sorted[^1]);
        }).ToList();

    /// <summary>The quiet labels and the alerts raised on them.</summary>
    public IReadOnlyList<QuietResult> Quiet { get; init; } = [];

    /// <summary>Alerts on users and branches no incident touched, on the calendar's peak days (every account at the peak's factor).</summary>
    public int AlertsOnPeakDays => Quiet.Where(q => q.Label.Kind == "peak_day").Sum(q => q.Alerts.Count);

    /// <summary>Alerts on new hires while they ramp up (their first 30 days).</summary>
    public int AlertsOnNewHires => Quiet.Where(q => q.Label.Kind == "new_hire").Sum(q => q.Alerts.Count);

    public int Detected => Incidents.Count(i => i.Detected);
    public bool AllDetected => Incidents.All(i => i.Detected);

    /// <summary>Incidents that demand a suspension and did not get exactly one suspend command.</summary>
    public IEnumerable<IncidentResult> SuspensionMismatches => Incidents.Where(i => i.Label.Suspend != (i.SuspendCommands == 1) || i.SuspendCommands > 1);

    public double FalseAlertsPerThousandUserDays => UserDays == 0 ? 0 : AlertsOnUntouchedUsers * 1000.0 / UserDays;

    /// <summary>BEHAVIOUR_OUTLIER alerts on users no incident touched: the models' own false alarms.</summary>
    public int ModelAlertsOnUntouchedUsers => FalseAlerts.Count(a => a.Rule == "BEHAVIOUR_OUTLIER");

    public double FalseModelAlertsPerThousandUserDays => UserDays == 0 ? 0 : ModelAlertsOnUntouchedUsers * 1000.0 / UserDays;

    private static string Minutes(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:F1} min");

    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"kind",-28} {"entity",-10} {"result",-9} {"from its start",-15} suspension");
        foreach (var i in Incidents)
        {
            var ttd = i.TimeToDetect is { } t ? $"{t.TotalMinutes:F1} min" : "-";
            var susp = i.Label.Suspend ? (i.SuspendCommands == 1 ? "suspended" : $"{i.SuspendCommands} commands") : (i.SuspendCommands == 0 ? "-" : $"{i.SuspendCommands} commands");
            sb.AppendLine(CultureInfo.InvariantCulture, $"{i.Label.Kind,-28} {i.Label.EntityId,-10} {(i.Detected ? "detected" : "MISSED"),-9} {ttd,-15} {susp}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"incidents detected: {Detected} of {Incidents.Count}");
        if (Timings.Count > 0)
        {
            sb.AppendLine("time to detect per rule, from the first moment its threshold was crossed (event time):");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {"rule",-22} {"incidents",9} {"median",10} {"worst",10}");
            foreach (var t in Timings)
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {t.Rule,-22} {t.Incidents,9} {Minutes(t.Median),10} {Minutes(t.Worst),10}");
        }
        sb.Append(CultureInfo.InvariantCulture, $"alerts on users no incident touched: {AlertsOnUntouchedUsers}");
        if (UserDays > 0) sb.Append(CultureInfo.InvariantCulture, $" over {UserDays} user-days ({FalseAlertsPerThousandUserDays:F2} per 1,000)");
        sb.AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"  of which BEHAVIOUR_OUTLIER: {ModelAlertsOnUntouchedUsers}");
        if (UserDays > 0) sb.Append(CultureInfo.InvariantCulture, $" ({FalseModelAlertsPerThousandUserDays:F2} per 1,000 user-days)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"users suspended that no incident touched: {UntouchedUsersSuspended}");
        var peaks = Quiet.Where(q => q.Label.Kind == "peak_day").ToList();
        if (peaks.Count > 0)
        {
            var days = string.Join(", ", peaks.Select(q => string.Create(CultureInfo.InvariantCulture, $"{q.Label.Start:yyyy-MM-dd} ×{q.Label.Factor:0.0#}")));
            sb.AppendLine(CultureInfo.InvariantCulture, $"alerts on peak days (every account at the day's factor): {AlertsOnPeakDays} on {peaks.Count} days ({days})");
        }
        var hires = Quiet.Where(q => q.Label.Kind == "new_hire").ToList();
        if (hires.Count > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"alerts on new hires ramping up (first 30 days): {AlertsOnNewHires} on {hires.Count} hires ({string.Join(", ", hires.Select(h => h.Label.EntityId))})");
        foreach (var a in Quiet.SelectMany(q => q.Alerts).DistinctBy(a => a.AlertId))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {a.Rule} {a.EntityType} {a.EntityId} {a.Day}: {a.Explanation}");
        return sb.ToString();
    }
}

/// <summary>
/// Compares alerts (the last revision of each) and commands with incident labels: an incident is detected
/// when an alert of one of its expected rules names its entity (or its account) with an event time inside the incident
/// (or within a day after it, for thresholds that trip late).
/// </summary>
public static class Evaluator
{
    /// <summary>Compares; with <c>crossing</c> (the events and settings of the run) also per rule the time to detect from its threshold's crossing.</summary>
    public static EvaluationReport Evaluate(IEnumerable<Alert> alertRevisions, IEnumerable<PermissionCommand> commands, IReadOnlyList<IncidentLabel> labels, long userDays = 0,
        ThresholdCrossing? crossing = null)
    {
        var alerts = alertRevisions.GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
        var suspends = commands.Where(c => c.Action == "suspend").GroupBy(c => c.CommandId).Select(g => g.First()).ToList();
        var incidents = labels.Where(l => !l.IsQuiet).ToList();
        var touched = new HashSet<string>(incidents.SelectMany(l => l.TouchedUsers.Append(l.UserId ?? "")).Where(u => u.Length > 0));
        var results = new List<IncidentResult>();
        foreach (var label in incidents)
        {
            var matching = alerts.Where(a => label.ExpectedRules.Contains(a.Rule) && Names(a, label)
                && a.LastEventTime >= label.Start.AddMinutes(-1) && a.EventTime <= label.End.AddDays(1)).OrderBy(a => a.EventTime).ToList();
            var first = matching.FirstOrDefault();
            TimeSpan? ttd = first is null ? null : (first.EventTime > label.Start ? first.EventTime - label.Start : TimeSpan.Zero);
            var suspendCount = label.UserId is null ? 0 : suspends.Count(c => c.UserId == label.UserId);
            var byRule = new Dictionary<string, TimeSpan>();
            if (crossing is not null)
            {
                foreach (var rule in matching.GroupBy(a => a.Rule))
                {
                    var earliest = rule.OrderBy(a => a.DetectedAt ?? a.EventTime).First();
                    var late = (earliest.DetectedAt ?? earliest.EventTime) - crossing.Of(label, rule.Key, earliest);
                    byRule[rule.Key] = late > TimeSpan.Zero ? late : TimeSpan.Zero;
                }
            }
            results.Add(new IncidentResult(label, first is not null, ttd, matching.Select(a => a.AlertId).ToList(), suspendCount) { ByRule = byRule });
        }
        var falseAlerts = alerts.Where(a => a.UserId is not null && !touched.Contains(a.UserId)).ToList();
        var wrongSuspensions = suspends.Count(c => !touched.Contains(c.UserId));
        var quiet = labels.Where(l => l.IsQuiet).Select(l => new QuietResult(l, alerts.Where(a => OnQuiet(a, l, touched, incidents)).ToList())).ToList();
        return new EvaluationReport(results, falseAlerts.Count, wrongSuspensions, userDays, falseAlerts) { Quiet = quiet };
    }

    /// <summary>
    /// Whether an alert falls on a quiet label: on a peak day (its local day), any alert on a user no incident touched, or
    /// on a branch with no incident that day; on a new hire, an alert naming the hire's account within the label's time.
    /// </summary>
    private static bool OnQuiet(Alert a, IncidentLabel l, HashSet<string> touched, IReadOnlyList<IncidentLabel> incidents)
    {
        if (l.EntityType == "bank")
        {
            if (a.Day != l.Start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) return false;
            if (a.UserId is { } u) return !touched.Contains(u);
            return a.EntityType == "branch" && !incidents.Any(i => i.BranchId == a.EntityId && i.Start <= l.End && i.End.AddDays(1) >= l.Start);
        }
        return a.UserId == l.UserId && a.LastEventTime >= l.Start && a.EventTime <= l.End;
    }

    /// <summary>
    /// Whether an alert is about the label's entity: the same entity, or (for alerts on an employee, terminal or
    /// subject, and labels on a user) the same account.
    /// </summary>
    private static bool Names(Alert a, IncidentLabel label) =>
        (a.EntityType == label.EntityType && a.EntityId == label.EntityId) || (label.UserId is not null && a.UserId == label.UserId);

    /// <summary>Distinct (user, UTC+8 day) pairs with activity: the denominator of the false-alert rate.</summary>
    public static long CountUserDays(IEnumerable<QueryLogEvent> events) =>
        events.Select(e => (e.UserId, e.OccurredAt.ToOffset(TimeSpan.FromHours(8)).Date)).Distinct().LongCount();
}
