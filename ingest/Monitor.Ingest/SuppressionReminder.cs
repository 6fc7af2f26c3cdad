using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Metrics;

namespace Monitor.Ingest;

/// <summary>
/// The metrics that remind analysts of suppressions about to run out, before alerts of an accepted pattern come
/// back unannounced: per source (<c>settings</c>, the file's; <c>api</c>, the store's) how many are in force and
/// how many expire within <see cref="Soon"/>, and one point for each that does (which rule and entity, when).
/// Judged by the wall clock at <c>now</c>: a reminder is about the analysts' day, not the stream's.
/// </summary>
public static class SuppressionReminder
{
    /// <summary>How far ahead an expiry is worth a reminder.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromHours(24);

    public const string FromSettings = "settings";
    public const string FromApi = "api";

    public static IEnumerable<Point> Points(IEnumerable<Suppression> entries, DateTimeOffset now)
    {
        var inForce = entries.Where(s => s.Covers(now)).ToList();
        foreach (var source in (string[])[FromSettings, FromApi])
        {
            var these = inForce.Where(s => SourceOf(s) == source).ToList();
            var expiring = these.Where(s => s.Until - now <= Soon).OrderBy(s => s.Until).ToList();
            var point = Point.Measure("suppressions", now).Tag("source", source)
                .Field("active", (long)these.Count).Field("expiring_within_24h", (long)expiring.Count);
            if (these.Count > 0) point.Field("next_expiry_hours", Math.Round((these.Min(s => s.Until) - now).TotalHours, 2));
            yield return point;
            foreach (var s in expiring)
                yield return Point.Measure("suppression_expiring", now).Tag("source", source).Tag("rule", s.Rule).Tag("entity_type", s.EntityType)
                    .Tag("entity", LogRedaction.Entity(s.EntityType, s.EntityId)).Tag("id", s.StoreId?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Field("hours_left", Math.Round((s.Until - now).TotalHours, 2)).Field("until", s.Until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
                    .Field("by", s.By);
        }
    }

    private static string SourceOf(Suppression s) => s.StoreId is null ? FromSettings : FromApi;
}
