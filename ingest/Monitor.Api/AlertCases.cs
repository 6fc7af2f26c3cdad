using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// One cause, one row: the officers' queue shows cases, not alerts. An alert names its case when the detectors link
/// findings of one cause (<see cref="Alert.CaseId"/>); until then the case is found here, by one rule: a branch's
/// own alert, and every alert at that branch on a local day when the branch itself raised one (its spike explains
/// its users' spikes), belong to the branch-day's case; any other alert to its user's day (an employee's, terminal's
/// or subject's alert names the user whose event raised it). The queue and the case page both ask this class; so do
/// the tests.
/// </summary>
public static class AlertCases
{
    public const string BranchKind = "branch";
    public const string UserKind = "user";

    /// <summary>
    /// The case of <paramref name="a"/>: its own <see cref="Alert.CaseId"/>, else <c>branch:B:day</c> or <c>user:U:day</c>;
    /// <paramref name="branchAlertDays"/> holds the branch-days on which a branch raised an alert of its own.
    /// </summary>
    public static string KeyOf(Alert a, IReadOnlySet<(string BranchId, string Day)> branchAlertDays)
    {
        if (!string.IsNullOrEmpty(a.CaseId)) return a.CaseId;
        if (a.EntityType == EntityTypes.Branch || a.UserId is null) return $"{BranchKind}:{a.BranchId ?? a.EntityId}:{a.Day}";
        if (a.BranchId is { } b && branchAlertDays.Contains((b, a.Day))) return $"{BranchKind}:{b}:{a.Day}";
        return $"{UserKind}:{a.UserId}:{a.Day}";
    }

    /// <summary>The alerts grouped into cases, in the order each case's first alert came.</summary>
    public static List<AlertCase> Group(IEnumerable<StoredAlert> alerts, IReadOnlySet<(string BranchId, string Day)> branchAlertDays)
    {
        var cases = new Dictionary<string, List<StoredAlert>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var a in alerts)
        {
            var key = KeyOf(a.Alert, branchAlertDays);
            if (!cases.TryGetValue(key, out var list))
            {
                cases[key] = list = [];
                order.Add(key);
            }
            list.Add(a);
        }
        return order.ConvertAll(k => AlertCase.Of(k, cases[k]));
    }

    /// <summary>The case of <paramref name="alertId"/> among <paramref name="alerts"/> (its day's neighbours), or null when it is not there.</summary>
    public static AlertCase? Containing(string alertId, IEnumerable<StoredAlert> alerts, IReadOnlySet<(string BranchId, string Day)> branchAlertDays) =>
        Group(alerts, branchAlertDays).FirstOrDefault(c => c.Alerts.Any(a => a.Alert.AlertId == alertId));

    private static class EntityTypes
    {
        public const string Branch = "branch";
    }
}

/// <summary>
/// A case as the queue shows it: its key, whether a branch's day or a user's, the branch, user and day, and its
/// alerts, the most severe first; its severity and score are its most severe alert's.
/// </summary>
public sealed record AlertCase(string CaseId, string Kind, string? BranchId, string? UserId, string Day, IReadOnlyList<StoredAlert> Alerts)
{
    private static readonly string[] SeverityOrder = ["low", "medium", "high", "critical"];

    public static AlertCase Of(string key, IReadOnlyList<StoredAlert> alerts)
    {
        var sorted = alerts.OrderByDescending(a => Rank(a.Alert.Severity)).ThenByDescending(a => a.Alert.Score).ThenBy(a => a.Alert.EventTime)
            .ThenBy(a => a.Alert.AlertId, StringComparer.Ordinal).ToList();
        var users = alerts.Select(a => a.Alert.UserId).Where(u => u is not null).Distinct(StringComparer.Ordinal).ToList();
        var branchCase = key.StartsWith(AlertCases.BranchKind + ":", StringComparison.Ordinal)
            || (!key.StartsWith(AlertCases.UserKind + ":", StringComparison.Ordinal) && (users.Count != 1 || alerts.Any(a => a.Alert.EntityType == "branch")));
        var lead = sorted[0].Alert;
        return new AlertCase(key, branchCase ? AlertCases.BranchKind : AlertCases.UserKind, lead.BranchId,
            branchCase ? null : users[0], lead.Day, sorted);
    }

    public string Severity => Alerts[0].Alert.Severity;
    public int Score => Alerts[0].Alert.Score;
    public DateTimeOffset FirstEventTime => Alerts.Min(a => a.Alert.EventTime);
    public DateTimeOffset LastEventTime => Alerts.Max(a => a.Alert.LastEventTime);
    public IReadOnlyList<string> Rules => [.. Alerts.Select(a => a.Alert.Rule).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The case in one text per language: what it is made of (its alerts by rule, its users) and its most serious alert
    /// with that alert's own explanation, e.g. "branch SB0203 on 2026-11-05: 9 alerts (VOLUME_SPIKE ×5, …; 4 users);
    /// most serious: …".
    /// </summary>
    public Localized Explanations
    {
        get
        {
            var ci = System.Globalization.CultureInfo.InvariantCulture;
            var lead = Alerts[0].Alert;
            var entity = Kind == AlertCases.BranchKind ? BranchId ?? lead.EntityId : UserId ?? lead.EntityId;
            var rules = Alerts.GroupBy(a => a.Alert.Rule).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, Count: g.Count())).ToList();
            string Rules(Func<string, string> name, string sep) =>
                string.Join(sep, rules.Select(r => r.Count == 1 ? name(r.Key) : string.Create(ci, $"{name(r.Key)} ×{r.Count}")));
            var users = Users.Count;
            var en = string.Create(ci, $"{Kind} {entity} on {Day}: {Alerts.Count} alert{(Alerts.Count == 1 ? "" : "s")} ({Rules(r => r, ", ")}")
                + (users > 1 ? string.Create(ci, $"; {users} users") : "")
                + string.Create(ci, $"); most serious: {lead.Rule} on {lead.EntityType} {lead.EntityId} ({lead.Severity}, score {lead.Score}): {lead.Explanation}");
            var zh = string.Create(ci, $"{ZhEntity(Kind)} {entity} 于 {Day}：{Alerts.Count} 条告警（{Rules(ChineseNames.Rule, "，")}")
                + (users > 1 ? string.Create(ci, $"；涉及 {users} 个用户") : "")
                + string.Create(ci, $"）；最严重：{ChineseNames.Rule(lead.Rule)}，{ZhEntity(lead.EntityType)} {lead.EntityId}（{ChineseNames.Of(lead.Severity)}，评分 {lead.Score}）：{lead.ExplanationIn(Locales.ZhCn)}");
            return new Localized { Zh = zh, En = en };
        }
    }

    private static string ZhEntity(string type) => type switch
    {
        "branch" => "机构",
        "user" => "用户",
        "employee" => "员工",
        "terminal" => "终端",
        "subject" => "查询对象",
        _ => type,
    };

    /// <summary>How many of its alerts are in each state.</summary>
    public IReadOnlyDictionary<string, int> States => Alerts.GroupBy(a => a.State).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The users its alerts are about, for a branch's case.</summary>
    public IReadOnlyList<string> Users => [.. Alerts.Select(a => a.Alert.UserId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public static int Rank(string severity) => Array.IndexOf(SeverityOrder, severity);
}
