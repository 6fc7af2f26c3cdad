using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class OffHoursTests
{
    private static IReadOnlyList<Alert> OffHours(DateTimeOffset at, Channel channel = Channel.Counter, DetectionSettings? settings = null) =>
        new Harness(settings).Feed(Ev.Query(at: at, channel: channel)).Alerts(RuleIds.OffHours);

    [Fact]
    public void Query_in_working_hours_on_a_weekday_is_not_flagged() => Assert.Empty(OffHours(Ev.At(2026, 3, 3, 9, 30)));

    [Fact]
    public void Query_late_in_the_evening_is_flagged_with_local_time()
    {
        var alert = Assert.Single(OffHours(Ev.At(2026, 3, 3, 22, 14)));
        Assert.Equal("medium", alert.Severity);
        Assert.Contains("2026-03-03 22:14:00", alert.Explanation);
        Assert.Contains("08:00–18:00", alert.Explanation);
    }

    [Fact]
    public void Working_hours_are_judged_in_the_branch_zone_not_the_event_offset()
    {
        // 02:00 UTC is 10:00 in Shanghai: in hours, whatever offset the shipper wrote.
        Assert.Empty(OffHours(new DateTimeOffset(2026, 3, 3, 2, 0, 0, TimeSpan.Zero)));
        Assert.Single(OffHours(new DateTimeOffset(2026, 3, 3, 14, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Closing_time_itself_is_off_hours_and_the_second_before_is_not()
    {
        Assert.Single(OffHours(Ev.At(2026, 3, 3, 18, 0)));
        Assert.Empty(OffHours(Ev.At(2026, 3, 3, 17, 59, 59)));
        Assert.Empty(OffHours(Ev.At(2026, 3, 3, 8, 0)));
    }

    [Fact]
    public void Saturday_morning_is_flagged_as_weekend() =>
        Assert.Contains("weekend", Assert.Single(OffHours(Ev.At(2026, 3, 7, 10, 0))).Explanation);

    [Fact]
    public void National_day_holiday_on_a_weekday_is_flagged_as_holiday() =>
        Assert.Contains("official holiday", Assert.Single(OffHours(Ev.At(2026, 10, 2, 10, 0))).Explanation);

    [Fact]
    public void Off_hours_query_on_adjusted_working_day_is_not_flagged() =>
        Assert.Empty(OffHours(Ev.At(2026, 2, 14, 10, 0))); // Saturday worked for the Spring Festival (调休)

    [Fact]
    public void Batch_and_kiosk_channels_are_exempt()
    {
        Assert.Empty(OffHours(Ev.At(2026, 3, 3, 2, 0), Channel.Batch));
        Assert.Empty(OffHours(Ev.At(2026, 3, 7, 10, 0), Channel.SelfServiceKiosk));
    }

    [Fact]
    public void Branch_override_of_working_hours_applies_and_sub_branches_inherit_it()
    {
        var settings = SettingsLoader.Parse("""{ "branches": { "BR0100": { "workingHours": { "start": "09:00", "end": "21:00" } } } }""");
        Assert.Empty(OffHours(Ev.At(2026, 3, 3, 20, 30), settings: settings)); // SB0101's parent is BR0100
        Assert.Single(OffHours(Ev.At(2026, 3, 3, 8, 30), settings: settings));
    }

    [Fact]
    public void Several_off_hours_queries_on_one_day_fold_into_one_alert()
    {
        var h = new Harness().Feed(Ev.Query(at: Ev.At(2026, 3, 3, 21, 0)), Ev.Query(at: Ev.At(2026, 3, 3, 21, 5)), Ev.Query(at: Ev.At(2026, 3, 3, 21, 9)));
        var latest = Assert.Single(h.Latest, a => a.Rule == RuleIds.OffHours);
        Assert.Equal(2, latest.Count); // third finding is not a power of two: published at 1 and 2
        Assert.Equal(2, latest.Revision);
    }
}
