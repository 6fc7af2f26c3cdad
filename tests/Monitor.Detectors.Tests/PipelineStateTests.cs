using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>Two sources (Kafka partitions) of a few branches' days, interleaved as a consumer reads them, with an occasional redelivery.</summary>
internal static class TwoSources
{
    public static List<(QueryLogEvent Event, int Source)> Make(int days, int seed)
    {
        var random = new Random(seed);
        var list = new List<(QueryLogEvent, int)>();
        for (var d = 0; d < days; d++)
        {
            var morning = Ev.At(2026, 3, 2, 9).AddDays(d);
            for (var i = 0; i < 200; i++)
            {
                var n = random.Next(12);
                var user = $"Q{n:D4}";
                var e = Ev.Query(user, morning.AddMinutes(i * 2.4 + random.Next(3)), branch: $"SB01{random.Next(4):D2}", id: $"d{d}-{i}");
                if (random.Next(5) == 0) e = e with { SubjectId = $"shared-{random.Next(40)}" };
                var source = n & 1; // a user's events all come on one partition, as keyed
                list.Add((e, source));
                if (random.Next(50) == 0) list.Add((e, source)); // redelivered
            }
        }
        return list;
    }
}

public sealed class EventDeduplicatorStateTests
{
    private static void Feed(EventDeduplicator d, IEnumerable<(QueryLogEvent Event, int Source)> events, List<bool> seen)
    {
        foreach (var (e, source) in events)
        {
            seen.Add(d.Seen(source, e.EventId));
            d.Remember(source, e.EventId, e.OccurredAt);
        }
    }

    [Fact]
    public void A_restored_deduplicator_still_recognises_redeliveries_of_events_before_the_restart_and_expires_them_on_time()
    {
        var events = TwoSources.Make(4, seed: 1);
        var original = new EventDeduplicator(TimeSpan.FromHours(72));
        var cut = events.Count * 2 / 3;
        Feed(original, events.Take(cut), []);

        var fresh = new EventDeduplicator(TimeSpan.FromHours(72));
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        // Everything read before the cut is delivered again after the restart, then the rest.
        var again = events.Take(cut).Concat(events.Skip(cut)).ToList();
        List<bool> a = [], b = [];
        Feed(original, again, a);
        Feed(fresh, again, b);
        Assert.Equal(a, b);
        Assert.All(b.Take(cut), Assert.True); // all within the 72 h horizon; day 0 expires as day 3 goes on
        Assert.Equal(original.Tracked, fresh.Tracked);
        Assert.True(fresh.Tracked < events.Select(x => x.Event.EventId).Distinct().Count()); // day 0 did expire
        Assert.Empty(StateComparer.Differences(original, fresh));
    }

    [Fact]
    public void A_deduplicator_snapshot_with_another_components_tag_is_refused()
    {
        using var w = new StateWriter();
        new SubjectOrigins(TimeSpan.FromDays(1)).Save(w);
        Assert.Throws<StateFormatException>(() => new EventDeduplicator(TimeSpan.FromHours(1)).Restore(StateReader.Open(w.ToArray())));
    }
}

public sealed class EventTimeGuardStateTests
{
    private static readonly DateTimeOffset Now = Ev.At(2026, 11, 30, 12);

    private static List<string?> Screen(EventTimeGuard guard, IEnumerable<(QueryLogEvent Event, int Source)> events)
    {
        var reasons = new List<string?>();
        foreach (var batch in events.Chunk(50))
        {
            var times = BatchTimes.Of(batch.Select(x => x.Event).ToList());
            reasons.AddRange(batch.Select(x => guard.Check(x.Event, x.Source, Now, times)));
        }
        return reasons;
    }

    /// <summary>Ordinary traffic with lone lines days ahead (refused, remembered as unsupported) and late lines.</summary>
    private static List<(QueryLogEvent, int)> Traffic()
    {
        var events = TwoSources.Make(3, seed: 2);
        for (var i = 100; i < events.Count; i += 97)
        {
            var (e, s) = events[i];
            events.Insert(i, (e with { EventId = e.EventId + "-ahead", OccurredAt = e.OccurredAt.AddDays(2) }, s));
            events.Insert(i + 1, (e with { EventId = e.EventId + "-late", OccurredAt = e.OccurredAt.AddHours(-7) }, s));
        }
        return events;
    }

    [Fact]
    public void A_restored_guard_keeps_each_sources_time_and_the_refused_lines_so_it_judges_what_follows_the_same()
    {
        var settings = new DetectionSettings();
        var events = Traffic();
        var original = new EventTimeGuard(settings);
        var cut = events.Count / 2;
        var before = Screen(original, events.Take(cut));
        Assert.Contains(before, r => r?.StartsWith("implausible time", StringComparison.Ordinal) == true);
        Assert.Contains(before, r => r?.StartsWith("late", StringComparison.Ordinal) == true);

        var fresh = new EventTimeGuard(settings);
        Assert.Empty(StateComparer.RoundTrip(original, fresh, typeof(DetectionSettings)));
        Assert.Equal(original.TimeOf(0), fresh.TimeOf(0));
        Assert.Equal(original.TimeOf(1), fresh.TimeOf(1));
        var rest = events.Skip(cut).ToList();
        var expected = Screen(original, rest);
        Assert.Contains(expected, r => r is not null);
        Assert.Equal(expected, Screen(fresh, rest));
    }

    [Fact]
    public void A_source_time_keeps_its_few_newest_users_so_a_fourth_user_moves_it_the_same_way()
    {
        var time = new SourceTime();
        time.Accept(Ev.At(2026, 3, 2, 10), "A");
        time.Accept(Ev.At(2026, 3, 2, 11), "B");
        time.Accept(Ev.At(2026, 3, 2, 12), "C");
        var fresh = new SourceTime();
        Assert.Empty(StateComparer.RoundTrip(time, fresh));
        time.Accept(Ev.At(2026, 3, 2, 13), "D");
        fresh.Accept(Ev.At(2026, 3, 2, 13), "D");
        Assert.Equal(Ev.At(2026, 3, 2, 11), fresh.Time);
        Assert.Equal(time.Newest, fresh.Newest);
    }

    [Fact]
    public void A_guard_snapshot_cut_short_is_refused()
    {
        var guard = new EventTimeGuard(new DetectionSettings());
        Screen(guard, TwoSources.Make(1, seed: 3));
        using var w = new StateWriter();
        guard.Save(w);
        var bytes = w.ToArray();
        Assert.Throws<StateFormatException>(() => new EventTimeGuard(new DetectionSettings()).Restore(StateReader.Open(bytes[..^3])));
    }
}

public sealed class EventDaysStateTests
{
    private static List<EndedDays?> Feed(EventDays days, IEnumerable<(QueryLogEvent Event, int Source)> events)
    {
        var ended = new List<EndedDays?>();
        foreach (var (e, source) in events)
        {
            days.Observe(e, source, e.OccurredAt);
            ended.Add(days.Ended());
        }
        return ended;
    }

    private static string? Text(EndedDays? d) =>
        d is null ? null : $"{d.Day} {d.At:o} {string.Join(',', d.Users.Order(StringComparer.Ordinal))} {string.Join(',', d.Branches.Order(StringComparer.Ordinal))}";

    [Fact]
    public void Event_days_restored_mid_day_end_the_open_days_at_the_same_moment_with_everyone_active_on_them()
    {
        var events = TwoSources.Make(5, seed: 4);
        var original = new EventDays("Asia/Shanghai", TimeSpan.FromHours(2));
        var cut = events.Count * 3 / 5 + 37; // in the middle of a working day
        Feed(original, events.Take(cut));

        var fresh = new EventDays("Asia/Shanghai", TimeSpan.FromHours(2));
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        var rest = events.Skip(cut).ToList();
        var expected = Feed(original, rest).Select(Text).ToList();
        Assert.Contains(expected, d => d is not null);
        Assert.Equal(expected, Feed(fresh, rest).Select(Text));
    }
}

public sealed class SubjectOriginsStateTests
{
    [Fact]
    public void Restored_origins_name_the_same_first_branch_for_subjects_of_both_generations_and_roll_generations_at_the_same_time()
    {
        var events = TwoSources.Make(6, seed: 5).Select(x => x.Event).ToList();
        var original = new SubjectOrigins(TimeSpan.FromDays(2));
        var cut = events.Count / 2;
        foreach (var e in events.Take(cut)) original.Observe(e.SubjectKey, e.BranchId, e.OccurredAt);

        var fresh = new SubjectOrigins(TimeSpan.FromDays(2));
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        var rest = events.Skip(cut).ToList();
        var expected = rest.Select(e => original.Observe(e.SubjectKey, e.BranchId, e.OccurredAt)).ToList();
        Assert.Contains(expected.Zip(rest), x => x.First != x.Second.BranchId); // some subjects were first read elsewhere
        Assert.Equal(expected, rest.Select(e => fresh.Observe(e.SubjectKey, e.BranchId, e.OccurredAt)));
        Assert.Equal(original.Count, fresh.Count);
    }
}
