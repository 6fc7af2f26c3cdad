using Monitor.Detectors.Calendar;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class PipelineGuardTests
{
    private static readonly DateTimeOffset Now = Ev.At(2026, 6, 1, 12);

    [Fact]
    public void Event_later_than_the_allowed_lateness_is_refused_as_late()
    {
        var guard = new EventTimeGuard(new DetectionSettings { AllowedLatenessMinutes = 60 });
        Seen(guard, 0, 1);
        Assert.Null(guard.Check(Ev.Query(at: Ev.At(2026, 3, 3, 12)), 0, Now, BatchTimes.Empty));
        Assert.Null(guard.Check(Ev.Query(at: Ev.At(2026, 3, 3, 11, 0)), 0, Now, BatchTimes.Empty)); // exactly at the limit
        Assert.StartsWith("late:", guard.Check(Ev.Query(at: Ev.At(2026, 3, 3, 10, 59)), 0, Now, BatchTimes.Empty));
        Assert.Null(guard.Check(Ev.Query(at: Ev.At(2026, 3, 3, 10, 59)), 2, Now, BatchTimes.Empty)); // another partition has its own watermark
    }

    [Fact]
    public void Absurd_timestamps_are_refused_and_do_not_move_the_watermark()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        Seen(guard, 0, 2);
        Assert.Null(guard.Check(Ev.Query(at: Ev.At(2026, 3, 3, 12)), 0, Now, BatchTimes.Empty));
        Assert.StartsWith("implausible time", guard.Check(Ev.Query(at: Ev.At(1970, 1, 1, 0)), 0, Now, BatchTimes.Empty));
        Assert.StartsWith("implausible time", guard.Check(Ev.Query(at: Ev.At(2099, 1, 1, 0)), 0, Now, BatchTimes.Empty));
        Assert.StartsWith("implausible time", guard.Check(Ev.Query(at: Ev.At(2026, 5, 20, 0)), 0, Now, BatchTimes.Empty)); // 78 days ahead of the rest
        Assert.Null(guard.Check(Ev.Query(at: Ev.At(2026, 3, 3, 12, 5)), 0, Now, BatchTimes.Empty));
    }

    /// <summary>Two other users reach 12:00 on <paramref name="source"/>: with a third there, the source's event time is 12:00 (<see cref="SourceTime.Users"/>).</summary>
    private static void Seen(EventTimeGuard guard, int source, int minute)
    {
        Assert.Null(guard.Check(Ev.Query(user: "QA", at: Ev.At(2026, 3, 3, 12), id: $"a{minute}"), source, Now, BatchTimes.Empty));
        Assert.Null(guard.Check(Ev.Query(user: "QB", at: Ev.At(2026, 3, 3, 12), id: $"b{minute}"), source, Now, BatchTimes.Empty));
    }

    [Fact]
    public void Redelivered_event_is_recognised_within_the_horizon_and_forgotten_after()
    {
        var dedup = new EventDeduplicator(TimeSpan.FromHours(2));
        dedup.Remember(0, "a", Ev.At(2026, 3, 3, 9));
        Assert.True(dedup.Seen(0, "a"));
        dedup.Remember(0, "b", Ev.At(2026, 3, 3, 10, 30));
        Assert.True(dedup.Seen(0, "a"));
        dedup.Remember(0, "c", Ev.At(2026, 3, 3, 13));
        Assert.False(dedup.Seen(0, "a"));
        Assert.False(dedup.Seen(0, "b")); // 2.5 h behind the newest: past the horizon
        Assert.True(dedup.Seen(0, "c"));
        Assert.Equal(1, dedup.Tracked);
    }

    [Fact]
    public void A_partition_read_days_ahead_does_not_expire_the_ids_of_a_slower_one()
    {
        var dedup = new EventDeduplicator(TimeSpan.FromHours(2));
        dedup.Remember(0, "slow", Ev.At(2026, 3, 3, 9));
        dedup.Remember(1, "fast", Ev.At(2026, 3, 6, 9));
        Assert.True(dedup.Seen(0, "slow"));
        Assert.False(dedup.Seen(1, "slow"));
    }

    [Fact]
    public void Shipped_calendar_knows_holidays_and_adjusted_working_days()
    {
        var calendar = WorkCalendar.Load();
        Assert.False(calendar.IsWorkingDay(new LocalDate(2026, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new LocalDate(2026, 2, 14)));
        Assert.True(calendar.IsWorkingDay(new LocalDate(2026, 3, 2)));
        Assert.False(calendar.IsWorkingDay(new LocalDate(2026, 3, 7)));
    }

    [Theory]
    [InlineData("""{"volume":{"userDaily":-1}}""", "volume.userDaily")]
    [InlineData("""{"workingHours":{"start":"25:00","end":"18:00"}}""", "workingHours.start")]
    [InlineData("""{"workingHours":{"start":"18:00","end":"08:00"}}""", "must be after start")]
    [InlineData("""{"timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"suspension":{"rules":["NOT_A_RULE"]}}""", "suspension.rules")]
    [InlineData("""{"volumen":{}}""", "volumen")]
    [InlineData("""{"branches":{"SB01":{"volume":{"branchDaily":0}}}}""", "branches.SB01.volume.branchDaily")]
    [InlineData("""{"branches":{"SB01":{"volumen":{}}}}""", "branches.SB01.volumen")]
    [InlineData("""{"branches":{"SB01":{"kiosk":{"start":"7"}}}}""", "branches.SB01.kiosk.start")]
    [InlineData("""{"repeatRatio":{"threshold":1.5}}""", "repeatRatio.threshold")]
    [InlineData("""{"workingHours":{"channels":{"fax":{"start":"08:00","end":"09:00"}}}}""", "workingHours.channels")]
    [InlineData("""{"suppressions":[{"rule":"OFF_HOURS","entityId":"Q1","until":"2026-05-01T00:00:00+08:00","by":"li"}]}""", "suppressions[0].reason")]
    [InlineData("""{"suppressions":[{"rule":"OFF_HOUR","entityId":"Q1","until":"2026-05-01T00:00:00+08:00","reason":"r","by":"li"}]}""", "suppressions[0].rule")]
    public void Invalid_settings_are_refused_naming_the_key(string json, string key) =>
        Assert.Contains(key, Assert.Throws<SettingsException>(() => SettingsLoader.Parse(json)).Message);

    [Fact]
    public void Settings_file_with_comments_and_overrides_loads()
    {
        var s = SettingsLoader.Parse("""
            // analysts' settings
            { "volume": { "userDaily": 300 }, "branches": { "SB0101": { "volume": { "userDaily": 50 } } } }
            """);
        var policies = new BranchPolicies(s);
        Assert.Equal(50, policies.For("SB0101", "BR0100").Volume.UserDaily);
        Assert.Equal(300, policies.For("SB0102", "BR0100").Volume.UserDaily);
    }
}
