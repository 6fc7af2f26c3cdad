using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The queue's order and pages: cases sorted by severity (then newest), newest, oldest, or size (most alerts), and
/// cut into pages; and the age filter an officer picks (alerts from the last day, week, month, or older than a
/// day or a week), as a range of event time.
/// </summary>
public static class CaseQueue
{
    public static readonly IReadOnlyList<string> Sorts = ["severity", "newest", "oldest", "size"];
    public static readonly IReadOnlyList<string> Ages = ["within-1d", "within-7d", "within-30d", "over-1d", "over-7d"];

    /// <summary>The event-time range of an age filter at <paramref name="now"/>: (from, to), either open.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) AgeRange(string? age, DateTimeOffset now) => age switch
    {
        "within-1d" => (now.AddDays(-1), null),
        "within-7d" => (now.AddDays(-7), null),
        "within-30d" => (now.AddDays(-30), null),
        "over-1d" => (null, now.AddDays(-1)),
        "over-7d" => (null, now.AddDays(-7)),
        _ => (null, null),
    };

    public static IEnumerable<AlertCase> Sort(IEnumerable<AlertCase> cases, string sort) => sort switch
    {
        "newest" => cases.OrderByDescending(c => c.LastEventTime).ThenBy(c => c.CaseId, StringComparer.Ordinal),
        "oldest" => cases.OrderBy(c => c.FirstEventTime).ThenBy(c => c.CaseId, StringComparer.Ordinal),
        "size" => cases.OrderByDescending(c => c.Alerts.Count).ThenByDescending(c => AlertCase.Rank(c.Severity)).ThenByDescending(c => c.LastEventTime).ThenBy(c => c.CaseId, StringComparer.Ordinal),
        _ => cases.OrderByDescending(c => AlertCase.Rank(c.Severity)).ThenByDescending(c => c.Score).ThenByDescending(c => c.LastEventTime).ThenBy(c => c.CaseId, StringComparer.Ordinal),
    };

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="size"/> cases in <paramref name="sort"/> order, and how many cases there are.</summary>
    public static (IReadOnlyList<AlertCase> Cases, int Total) Page(IReadOnlyList<AlertCase> cases, string sort, int page, int size) =>
        ([.. Sort(cases, sort).Skip((page - 1) * size).Take(size)], cases.Count);

    /// <summary>
    /// A case as the queue's row: what the console shows and acts on (each alert's id and state, for the bulk actions),
    /// with the directory's names of its branch and users (<paramref name="names"/>; null and left out when unnamed).
    /// </summary>
    public static object Row(AlertCase c, IReadOnlyDictionary<string, Assignment> assignments, NameBook names) => new
    {
        caseId = c.CaseId,
        kind = c.Kind,
        branchId = c.BranchId,
        branchName = names.Branch(c.BranchId),
        userId = c.UserId,
        userName = names.User(c.UserId),
        day = c.Day,
        severity = c.Severity,
        score = c.Score,
        firstEventTime = c.FirstEventTime,
        lastEventTime = c.LastEventTime,
        rules = c.Rules,
        users = c.Users,
        userNames = c.Users.Select(u => (u, n: names.User(u))).Where(x => x.n is not null).ToDictionary(x => x.u, x => x.n!, StringComparer.Ordinal),
        states = c.States,
        explanation = c.Explanations.En,
        explanations = c.Explanations,
        lead = c.Alerts[0].Named(names),
        alerts = c.Alerts.Select(a => new { alertId = a.Alert.AlertId, rule = a.Alert.Rule, severity = a.Alert.Severity, state = a.State, userId = a.Alert.UserId }),
        assignedTo = AssigneeOf(c, assignments),
    };

    /// <summary>Who works the case: the officer of its latest assignment among its alerts; null when none is assigned.</summary>
    public static string? AssigneeOf(AlertCase c, IReadOnlyDictionary<string, Assignment> assignments) =>
        c.Alerts.Select(a => assignments.GetValueOrDefault(a.Alert.AlertId)).OfType<Assignment>().OrderByDescending(a => a.At).FirstOrDefault()?.Officer;
}
