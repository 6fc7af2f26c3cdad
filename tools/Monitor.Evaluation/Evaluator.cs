using System.Globalization;
using System.Text;
using Monitor.Contracts;
using Monitor.Simulator;

namespace Monitor.Evaluation;

/// <summary>How one labelled incident fared: found or missed, how soon, and whether the suspension it demands came.</summary>
public sealed record IncidentResult(IncidentLabel Label, bool Detected, TimeSpan? TimeToDetect, IReadOnlyList<string> AlertIds, int SuspendCommands);

/// <summary>The comparison of a run's alerts and commands with the labels of what was injected.</summary>
public sealed record EvaluationReport(
    IReadOnlyList<IncidentResult> Incidents,
    int AlertsOnUntouchedUsers,
    int UntouchedUsersSuspended,
    long UserDays,
    IReadOnlyList<Alert> FalseAlerts)
{
    public int Detected => Incidents.Count(i => i.Detected);
    public bool AllDetected => Incidents.All(i => i.Detected);

    /// <summary>Incidents that demand a suspension and did not get exactly one suspend command.</summary>
    public IEnumerable<IncidentResult> SuspensionMismatches => Incidents.Where(i => i.Label.Suspend != (i.SuspendCommands == 1) || i.SuspendCommands > 1);

    public double FalseAlertsPerThousandUserDays => UserDays == 0 ? 0 : AlertsOnUntouchedUsers * 1000.0 / UserDays;

    /// <summary>BEHAVIOUR_OUTLIER alerts on users no incident touched: the models' own false alarms.</summary>
    public int ModelAlertsOnUntouchedUsers => FalseAlerts.Count(a => a.Rule == "BEHAVIOUR_OUTLIER");

    public double FalseModelAlertsPerThousandUserDays => UserDays == 0 ? 0 : ModelAlertsOnUntouchedUsers * 1000.0 / UserDays;

    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"kind",-28} {"entity",-10} {"result",-9} {"time to detect",-15} suspension");
        foreach (var i in Incidents)
        {
            var ttd = i.TimeToDetect is { } t ? $"{t.TotalMinutes:F1} min" : "-";
            var susp = i.Label.Suspend ? (i.SuspendCommands == 1 ? "suspended" : $"{i.SuspendCommands} commands") : (i.SuspendCommands == 0 ? "-" : $"{i.SuspendCommands} commands");
            sb.AppendLine(CultureInfo.InvariantCulture, $"{i.Label.Kind,-28} {i.Label.EntityId,-10} {(i.Detected ? "detected" : "MISSED"),-9} {ttd,-15} {susp}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"incidents detected: {Detected} of {Incidents.Count}");
        sb.Append(CultureInfo.InvariantCulture, $"alerts on users no incident touched: {AlertsOnUntouchedUsers}");
        if (UserDays > 0) sb.Append(CultureInfo.InvariantCulture, $" over {UserDays} user-days ({FalseAlertsPerThousandUserDays:F2} per 1,000)");
        sb.AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"  of which BEHAVIOUR_OUTLIER: {ModelAlertsOnUntouchedUsers}");
        if (UserDays > 0) sb.Append(CultureInfo.InvariantCulture, $" ({FalseModelAlertsPerThousandUserDays:F2} per 1,000 user-days)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"users suspended that no incident touched: {UntouchedUsersSuspended}");
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
    public static EvaluationReport Evaluate(IEnumerable<Alert> alertRevisions, IEnumerable<PermissionCommand> commands, IReadOnlyList<IncidentLabel> labels, long userDays = 0)
    {
        var alerts = alertRevisions.GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
        var suspends = commands.Where(c => c.Action == "suspend").GroupBy(c => c.CommandId).Select(g => g.First()).ToList();
        var touched = new HashSet<string>(labels.SelectMany(l => l.TouchedUsers.Append(l.UserId ?? "")).Where(u => u.Length > 0));
        var results = new List<IncidentResult>();
        foreach (var label in labels)
        {
            var matching = alerts.Where(a => label.ExpectedRules.Contains(a.Rule) && Names(a, label)
                && a.LastEventTime >= label.Start.AddMinutes(-1) && a.EventTime <= label.End.AddDays(1)).OrderBy(a => a.EventTime).ToList();
            var first = matching.FirstOrDefault();
            TimeSpan? ttd = first is null ? null : (first.EventTime > label.Start ? first.EventTime - label.Start : TimeSpan.Zero);
            var suspendCount = label.UserId is null ? 0 : suspends.Count(c => c.UserId == label.UserId);
            results.Add(new IncidentResult(label, first is not null, ttd, matching.Select(a => a.AlertId).ToList(), suspendCount));
        }
        var falseAlerts = alerts.Where(a => a.UserId is not null && !touched.Contains(a.UserId)).ToList();
        var wrongSuspensions = suspends.Count(c => !touched.Contains(c.UserId));
        return new EvaluationReport(results, falseAlerts.Count, wrongSuspensions, userDays, falseAlerts);
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
