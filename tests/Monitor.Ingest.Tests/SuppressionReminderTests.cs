using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Metrics;
using Xunit;

namespace Monitor.Ingest.Tests;

/// <summary>The reminder metrics: per source, how many suppressions are in force and how many expire within a day, and which.</summary>
public sealed class SuppressionReminderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static Suppression Entry(string entity, TimeSpan left, long? storeId = null, DateTimeOffset? from = null, string type = "user") => new()
    {
        Rule = RuleIds.VolumeSpike, EntityType = type, EntityId = entity, From = from, Until = Now + left, Reason = "batch", By = "analyst-li", StoreId = storeId,
    };

    private static object Field(Point p, string name) => p.Fields.Single(f => f.Key == name).Value;

    [Fact]
    public void Each_source_counts_those_in_force_and_those_expiring_within_a_day_and_names_each_of_these()
    {
        var points = SuppressionReminder.Points(
        [
            Entry("Q1", TimeSpan.FromHours(30)),                      // settings, in force, not soon
            Entry("Q2", TimeSpan.FromHours(5)),                       // settings, soon
            Entry("Q3", TimeSpan.FromHours(-1)),                      // settings, expired: not counted
            Entry("Q4", TimeSpan.FromHours(23), storeId: 12),         // api, soon
            Entry("Q5", TimeSpan.FromDays(60), storeId: 13),          // api, in force
            Entry("Q6", TimeSpan.FromDays(2), storeId: 14, from: Now.AddHours(1)), // api, not begun: not counted
            Entry("S-77", TimeSpan.FromHours(2), storeId: 15, type: "subject"),  // api, soon, a subject: its token only
        ], Now).ToList();

        var totals = points.Where(p => p.Measurement == "suppressions").ToDictionary(p => p.Tags.Single(t => t.Key == "source").Value);
        Assert.Equal((2L, 1L, 5.0), ((long)Field(totals["settings"], "active"), (long)Field(totals["settings"], "expiring_within_24h"), (double)Field(totals["settings"], "next_expiry_hours")));
        Assert.Equal((3L, 2L, 2.0), ((long)Field(totals["api"], "active"), (long)Field(totals["api"], "expiring_within_24h"), (double)Field(totals["api"], "next_expiry_hours")));

        var expiring = points.Where(p => p.Measurement == "suppression_expiring").ToList();
        Assert.Equal(["Q2", LogRedaction.Entity("subject", "S-77"), "Q4"], expiring.Select(p => p.Tags.Single(t => t.Key == "entity").Value));
        Assert.Equal(["", "15", "12"], expiring.Select(p => p.Tags.SingleOrDefault(t => t.Key == "id").Value ?? ""));
        Assert.Equal(23.0, (double)Field(expiring[2], "hours_left"));
        Assert.Equal("2026-03-03T07:00:00Z", Field(expiring[2], "until"));
        Assert.DoesNotContain(points, p => p.Tags.Any(t => t.Value.Contains("S-77", StringComparison.Ordinal)));
    }

    [Fact]
    public void None_in_force_still_reads_zero_for_each_source()
    {
        var points = SuppressionReminder.Points([], Now).ToList();
        Assert.Equal(2, points.Count);
        Assert.All(points, p =>
        {
            Assert.Equal(0L, Field(p, "active"));
            Assert.Equal(0L, Field(p, "expiring_within_24h"));
            Assert.DoesNotContain(p.Fields, f => f.Key == "next_expiry_hours");
        });
    }
}
