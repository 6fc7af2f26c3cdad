using System.Text.Json.Serialization;

namespace Monitor.Detectors.Settings;

/// <summary>
/// An analyst's decision that one rule on one entity raises no alerts for a while: a known, accepted pattern
/// (a branch's month-end batch, a user on a sanctioned project). The detectors still learn from the traffic.
/// It covers findings whose event time is from <see cref="From"/> (when given) up to, not including,
/// <see cref="Until"/>. The settings file's entries usually give no <see cref="From"/>; the officers' API's
/// (kept in the alert store) start when the analyst made them, and end at <see cref="Until"/> or when ended early.
/// </summary>
public sealed record Suppression
{
    [JsonPropertyName("rule")] public string Rule { get; init; } = "";
    [JsonPropertyName("entityType")] public string EntityType { get; init; } = "user";
    [JsonPropertyName("entityId")] public string EntityId { get; init; } = "";

    /// <summary>The first event time covered; null: every time before <see cref="Until"/>.</summary>
    [JsonPropertyName("from")] public DateTimeOffset? From { get; init; }

    [JsonPropertyName("until")] public DateTimeOffset Until { get; init; }
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("by")] public string By { get; init; } = "";

    /// <summary>The alert store's id of an entry made through the officers' API; null for the settings file's (never read from it).</summary>
    [JsonIgnore] public long? StoreId { get; init; }

    /// <summary>Whether a finding at event time <paramref name="eventTime"/> falls within the entry's time.</summary>
    public bool Covers(DateTimeOffset eventTime) => eventTime < Until && (From is not { } from || eventTime >= from);
}
