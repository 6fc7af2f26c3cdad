using Monitor.Contracts;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>The guard's robust event time: one early-dated event cannot blind a source, a real gap in the traffic is crossed.</summary>
public sealed class EventTimeGuardTests
{
    private static readonly DateTimeOffset Backlog = Ev.At(2026, 11, 30, 12); // the clock, long after the traffic below

    /// <summary>Runs a batch through the guard as the coordinator does; the reasons, null for accepted.</summary>
    private static List<string?> Screen(EventTimeGuard guard, IReadOnlyList<QueryLogEvent> batch, DateTimeOffset now, int source = 0)
    {
        var times = BatchTimes.Of(batch);
        return [.. batch.Select(e => guard.Check(e, source, now, times))];
    }

    /// <summary>A working day of one branch's traffic: a query every 2 minutes, users in turn.</summary>
    private static List<QueryLogEvent> Day(DateTimeOffset from, int count = 240, int users = 12) =>
        [.. Enumerable.Range(0, count).Select(i => Ev.Query(user: $"Q{i % users:D4}", at: from.AddMinutes(2 * i), id: $"{from:MMdd}-{i}"))];

    [Theory]
    [InlineData(20)]        // a clock a day off
    [InlineData(24 * 10)]   // ten days ahead of a backlog
    [InlineData(24 * 30)]   // just under the jump bound
    public void One_early_dated_event_is_refused_and_the_day_of_good_traffic_after_it_is_accepted(int hoursAhead)
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(Ev.At(2026, 3, 3, 8));
        Assert.All(Screen(guard, day[..100], Backlog), Assert.Null);
        var bad = Ev.Query(user: "Q9999", at: day[99].OccurredAt.AddHours(hoursAhead), id: "bad");
        var rest = Screen(guard, [bad, .. day[100..]], Backlog);
        Assert.StartsWith("implausible time:", rest[0]);
        Assert.Contains("ahead of the rest of the stream", rest[0]);
        Assert.All(rest.Skip(1), Assert.Null);
    }

    [Fact]
    public void One_event_a_day_ahead_of_the_clock_on_a_live_stream_is_refused_and_live_traffic_goes_on()
    {
        var now = Ev.At(2026, 3, 3, 17);
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(now.AddHours(-8), count: 240);
        Assert.All(Screen(guard, day[..120], now), Assert.Null);
        Assert.StartsWith("implausible time:", Screen(guard, [Ev.Query(user: "Q9999", at: now.AddHours(23), id: "bad")], now)[0]);
        Assert.All(Screen(guard, day[120..], now), Assert.Null);
    }

    [Fact]
    public void First_event_of_a_run_cannot_set_event_time_on_its_own()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(Ev.At(2026, 3, 3, 8));
        var bad = Ev.Query(user: "Q9999", at: Ev.At(2026, 3, 20, 8), id: "bad");
        var verdicts = Screen(guard, [bad, .. day], Backlog);
        Assert.StartsWith("implausible time:", verdicts[0]);
        Assert.All(verdicts.Skip(1), Assert.Null);
    }

    [Fact]
    public void A_first_event_hours_ahead_within_the_lead_does_not_make_the_events_after_it_late()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(Ev.At(2026, 3, 3, 8));
        var early = Ev.Query(user: "Q9999", at: Ev.At(2026, 3, 3, 18), id: "early");
        Assert.All(Screen(guard, [early, .. day], Backlog), Assert.Null);
    }

    [Fact]
    public void A_user_whose_terminal_clock_is_a_day_ahead_is_refused_however_many_events_it_sends()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(Ev.At(2026, 3, 3, 8));
        var skewed = Enumerable.Range(0, 30).Select(i => Ev.Query(user: "Q7777", at: Ev.At(2026, 3, 4, 12).AddMinutes(i), id: $"skew-{i}"));
        var verdicts = Screen(guard, [.. day[..50], .. skewed, .. day[50..]], Backlog);
        Assert.All(verdicts.Skip(50).Take(30), r => Assert.StartsWith("implausible time:", r));
        Assert.All(verdicts.Take(50).Concat(verdicts.Skip(80)), Assert.Null);
    }

    [Fact]
    public void A_weekend_in_a_backlog_is_crossed_when_the_monday_traffic_comes_in_one_batch()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var friday = Day(Ev.At(2026, 3, 6, 8));
        var monday = Day(Ev.At(2026, 3, 9, 8));
        Assert.All(Screen(guard, friday, Backlog), Assert.Null);
        Assert.All(Screen(guard, monday, Backlog), Assert.Null);
    }

    [Fact]
    public void A_weekend_falling_on_a_batch_boundary_loses_at_most_the_lone_first_events()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var friday = Day(Ev.At(2026, 3, 6, 8));
        var monday = Day(Ev.At(2026, 3, 9, 8));
        var first = Screen(guard, [.. friday, monday[0]], Backlog);
        Assert.All(first[..^1], Assert.Null);
        Assert.StartsWith("implausible time:", first[^1]); // Monday's first event stands alone at the end of Friday's batch
        Assert.All(Screen(guard, monday[1..], Backlog), Assert.Null); // with the rest of Monday it is the stream moving on
    }

    [Fact]
    public void A_live_stream_after_a_quiet_night_is_supported_by_the_clock()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var evening = Ev.At(2026, 3, 3, 19);
        Assert.Null(Screen(guard, [Ev.Query(at: evening, id: "last")], evening)[0]);
        var morning = Ev.At(2026, 3, 4, 8);
        Assert.Null(Screen(guard, [Ev.Query(user: "Q0001", at: morning, id: "first")], morning.AddSeconds(2))[0]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void An_event_hours_ahead_within_the_lead_is_accepted_but_does_not_make_the_traffic_after_it_late(int hoursAhead)
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(Ev.At(2026, 3, 3, 8));
        Assert.All(Screen(guard, day[..100], Backlog), Assert.Null);
        var early = Ev.Query(user: "Q9999", at: day[99].OccurredAt.AddHours(hoursAhead), id: "early");
        var verdicts = Screen(guard, [early, .. day[100..]], Backlog);
        Assert.All(verdicts, Assert.Null);
        Assert.InRange(guard.TimeOf(0)!.Value, day[^3].OccurredAt, day[^1].OccurredAt); // where the good traffic is, not where the early event is
    }

    [Fact]
    public void A_lonely_real_event_hours_after_the_rest_in_a_sparse_file_is_accepted()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        var day = Day(Ev.At(2026, 4, 8, 9), count: 30);
        var kiosk = Ev.Query(user: "KS0301", at: Ev.At(2026, 4, 8, 20, 40), id: "kiosk");
        Assert.All(Screen(guard, [.. day, kiosk], Backlog), Assert.Null);
    }
}
