using System.Globalization;
using System.Text.Json.Serialization;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// One case as officers work it (one cause, one case): the alerts the monitor linked to it (<see cref="Alert.CaseId"/>),
/// its highest severity and score, and one explanation that says what the case is made of and what the most serious
/// finding was. Built from the stored alerts; an alert recorded before cases existed is a case of its own.
/// </summary>
public sealed record CaseView
{
    [JsonPropertyName("caseId")] public required string CaseId { get; init; }

    /// <summary><c>branch</c>, <c>user</c>, or the entity type an alert naming no account is about.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("entityId")] public required string EntityId { get; init; }
    [JsonPropertyName("day")] public required string Day { get; init; }
    [JsonPropertyName("severity")] public required string Severity { get; init; }
    [JsonPropertyName("score")] public required int Score { get; init; }

    /// <summary><c>open</c> while any of its alerts awaits an officer (open or acknowledged), else <c>closed</c>.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("rules")] public required IReadOnlyList<string> Rules { get; init; }
    [JsonPropertyName("users")] public required IReadOnlyList<string> Users { get; init; }
    [JsonPropertyName("explanation")] public required string Explanation { get; init; }
    [JsonPropertyName("alerts")] public required IReadOnlyList<StoredAlert> Alerts { get; init; }

    private static readonly string[] Severities = ["low", "medium", "high", "critical"];

    /// <summary>The cases of <paramref name="alerts"/>, most serious first (severity, then score, then the earliest).</summary>
    public static List<CaseView> Of(IEnumerable<StoredAlert> alerts) =>
        alerts.GroupBy(a => a.Alert.CaseId ?? a.Alert.AlertId, StringComparer.Ordinal).Select(g => Build(g.Key, g.ToList()))
            .OrderByDescending(c => Array.IndexOf(Severities, c.Severity)).ThenByDescending(c => c.Score)
            .ThenBy(c => c.Alerts.Min(a => a.Alert.EventTime)).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();

    private static CaseView Build(string caseId, List<StoredAlert> alerts)
    {
        var ordered = alerts.OrderByDescending(a => Array.IndexOf(Severities, a.Alert.Severity)).ThenByDescending(a => a.Alert.Score)
            .ThenBy(a => a.Alert.EventTime).ThenBy(a => a.Alert.AlertId, StringComparer.Ordinal).ToList();
        var top = ordered[0].Alert;
        var parts = caseId.Split(':');
        var (kind, entity, day) = parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (top.EntityType, top.EntityId, top.Day);
        var rules = ordered.GroupBy(a => a.Alert.Rule).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var users = alerts.Select(a => a.Alert.UserId).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var ci = CultureInfo.InvariantCulture;
        var explanation = string.Create(ci, $"{kind} {entity} on {day}: {alerts.Count} alert{(alerts.Count == 1 ? "" : "s")} (")
            + string.Join(", ", rules.Select(g => g.Count() == 1 ? g.Key : string.Create(ci, $"{g.Key} ×{g.Count()}")))
            + (users.Count > 1 ? string.Create(ci, $"; {users.Count} users") : "")
            + string.Create(ci, $"); most serious: {top.Rule} on {top.EntityType} {top.EntityId} ({top.Severity}, score {top.Score}): {top.Explanation}");
        return new CaseView
        {
            CaseId = caseId,
            Kind = kind,
            EntityId = entity,
            Day = day,
            Severity = top.Severity,
            Score = top.Score,
            State = alerts.Any(a => a.State is AlertStates.Open or AlertStates.Acknowledged) ? "open" : "closed",
            Rules = rules.Select(g => g.Key).ToList(),
            Users = users,
            Explanation = explanation,
            Alerts = ordered,
        };
    }
}
