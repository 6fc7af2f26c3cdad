using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Behaviour;
using Monitor.Detectors.Rules;
using Monitor.Models;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>
/// Weeks of a counter clerk's traffic for the behaviour state tests: working days 9:00–17:00 with a few
/// subjects read twice, mostly loan approvals; <c>shift</c> picks days whose purposes turn to post-loan and
/// <c>burst</c> hours that get a spike of reads.
/// </summary>
internal static class ClerkDays
{
    public static readonly LocalDate Start = new(2026, 3, 2);

    public static List<(LocalDate Day, List<QueryLogEvent> Events)> Make(DetectorContext context, string user, int days, int seed,
        Func<int, bool>? shift = null, Func<int, int, int>? burst = null)
    {
        var random = new Random(seed);
        var result = new List<(LocalDate, List<QueryLogEvent>)>();
        var d = Start;
        for (var i = 0; i < days; d = d.PlusDays(1))
        {
            if (!context.Calendar.IsWorkingDay(d)) continue;
            var events = new List<QueryLogEvent>();
            var shifted = shift?.Invoke(i) == true;
            for (var hour = 9; hour < 17; hour++)
            {
                var n = 1 + random.Next(3) + (burst?.Invoke(i, hour) ?? 0);
                for (var k = 0; k < n; k++)
                {
                    var purpose = shifted ? (random.Next(10) < 8 ? Purpose.PostLoanManagement : Purpose.LoanApproval)
                        : random.Next(10) < 2 ? Purpose.PostLoanManagement : Purpose.LoanApproval;
                    var e = Ev.Query(user, Ev.At(d.Year, d.Month, d.Day, hour).AddSeconds(random.Next(3600)), purpose: purpose,
                        outcome: random.Next(30) == 0 ? Outcome.Denied : Outcome.Success);
                    if (random.Next(6) == 0) e = e with { SubjectId = $"s{i}-{random.Next(3)}" };
                    events.Add(e);
                }
            }
            events.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
            result.Add((d, events));
            i++;
        }
        return result;
    }

    /// <summary>The coordinator's end-of-day tick for <paramref name="day"/>: at 03:00 the next morning.</summary>
    public static (int Day, DateTimeOffset At) Tick(LocalDate day)
    {
        var next = day.PlusDays(1);
        return (day.ToDateOnly().DayNumber, Ev.At(next.Year, next.Month, next.Day, 3));
    }
}

public sealed class BehaviourWatchStateTests
{
    private readonly DetectorContext _context = DetectorContext.Default();
    private readonly DetectionOutput _output = new();

    private List<Finding> Observe(BehaviourWatch watch, IEnumerable<QueryLogEvent> events)
    {
        var found = new List<Finding>();
        foreach (var e in events) watch.Observe(EventContext.Of(e, _context.Policies, _context.Calendar), _output, found);
        return found;
    }

    private List<Finding> Run(BehaviourWatch watch, IEnumerable<(LocalDate Day, List<QueryLogEvent> Events)> days)
    {
        var found = new List<Finding>();
        foreach (var (day, events) in days)
        {
            found.AddRange(Observe(watch, events));
            var (n, at) = ClerkDays.Tick(day);
            watch.EndOfDay(n, at, _output, found);
        }
        return found;
    }

    private static BehaviourWatch Restored(BehaviourWatch original, DetectorContext context)
    {
        using var w = new StateWriter();
        original.Save(w);
        var copy = new BehaviourWatch(EntityKind.User, "QO1", context);
        using var r = StateReader.Open(w.ToArray());
        copy.Restore(r);
        r.End();
        return copy;
    }

    [Fact]
    public void A_watch_saved_in_the_middle_of_a_day_restores_field_for_field_and_then_judges_the_same_days_the_same_way()
    {
        var days = ClerkDays.Make(_context, "QO1", 50, seed: 7, shift: i => i == 44, burst: (i, h) => i == 46 && h == 10 ? 40 : 0);
        var original = new BehaviourWatch(EntityKind.User, "QO1", _context);
        Run(original, days.Take(40));
        var half = days[40].Events.Count / 2;
        Observe(original, days[40].Events.Take(half));

        var fresh = new BehaviourWatch(EntityKind.User, "QO1", _context);
        Assert.Empty(StateComparer.RoundTrip(original, fresh, typeof(DetectorContext)));

        var rest = new List<(LocalDate, List<QueryLogEvent>)> { (days[40].Day, days[40].Events.Skip(half).ToList()) };
        rest.AddRange(days.Skip(41));
        var windowsBefore = _output.Windows.Count;
        var expected = Run(original, rest);
        var expectedWindows = _output.Windows.Skip(windowsBefore).ToList();
        _output.Windows.RemoveRange(windowsBefore, expectedWindows.Count);
        var actual = Run(fresh, rest);

        Assert.Contains(expected, f => f.Explanation.Contains("post-loan share")); // the day view fired after the restore...
        Assert.Contains(expected, f => f.Explanation.Contains("reads in the hour")); // ...and so did the hour view
        Assert.Equal(expected, actual);
        Assert.Equal(expectedWindows.Select(Text), _output.Windows.Skip(windowsBefore).Select(Text));
        Assert.Empty(StateComparer.Differences(original, fresh, typeof(DetectorContext)));
    }

    [Fact]
    public void A_watch_restored_after_weeks_of_history_judges_its_next_day_from_that_history_without_a_new_learning_gap()
    {
        var days = ClerkDays.Make(_context, "QO1", 32, seed: 11, shift: i => i == 31);
        var original = new BehaviourWatch(EntityKind.User, "QO1", _context);
        Run(original, days.Take(31));

        var restored = Restored(original, _context);
        var found = Run(restored, days.Skip(31));
        var finding = Assert.Single(found);
        Assert.Contains("departs from its usual behaviour", finding.Explanation);
        Assert.Contains("days of own history", finding.Explanation);

        // Without the restore the same day meets a watch with no history: no own view at all.
        var forgetful = new BehaviourWatch(EntityKind.User, "QO1", _context);
        Assert.DoesNotContain(Run(forgetful, days.Skip(31)), f => f.Explanation.Contains("its usual behaviour"));
    }

    [Fact]
    public void A_restored_watch_reads_the_peer_models_installed_in_the_context_when_a_window_closes()
    {
        // The models are not part of the watch's state: whatever set the context holds at close time is the one used.
        var days = ClerkDays.Make(_context, "QO9", 2, seed: 3, shift: i => i == 1);
        var watch = new BehaviourWatch(EntityKind.User, "QO9", _context);
        Run(watch, days.Take(1));
        var groups = BehaviourWatch.GroupsOf(EntityKind.User, days[0].Events[0]);
        var random = new Random(3);
        var windows = Enumerable.Range(0, 300).Select(i => new ClosedWindow($"P{i % 10}", groups, i / 10, Window(15 + random.Next(-4, 5), 0.15 + random.NextDouble() * 0.1), true)).ToList();
        var context = DetectorContext.Default();
        context.Install(PeerModelBuilder.Build("v-test", 30, BehaviourFeatures.Names, groups.ToDictionary(g => g, _ => (IReadOnlyList<ClosedWindow>)windows), minScale: BehaviourFeatures.MinScale));
        using var w = new StateWriter();
        watch.Save(w);
        var restored = new BehaviourWatch(EntityKind.User, "QO9", context);
        restored.Restore(StateReader.Open(w.ToArray()));
        var found = new List<Finding>();
        foreach (var e in days[1].Events) restored.Observe(EventContext.Of(e, context.Policies, context.Calendar), _output, found);
        var (n, at) = ClerkDays.Tick(days[1].Day);
        restored.EndOfDay(n, at, _output, found);
        Assert.Contains(found, f => f.Explanation.Contains("peer model v-test"));
    }

    [Fact]
    public void A_user_watch_after_weeks_of_traffic_saves_in_a_few_tens_of_kilobytes()
    {
        // Bounded whatever the history's length: the rings, the week of hourly slots and the windows are fixed in size.
        var days = ClerkDays.Make(_context, "QO1", 60, seed: 13);
        var watch = new BehaviourWatch(EntityKind.User, "QO1", _context);
        Run(watch, days);
        using var w = new StateWriter();
        watch.Save(w);
        Assert.InRange(w.ToArray().Length, 1_000, 32_000);
    }

    [Fact]
    public void A_snapshot_cut_short_or_of_another_component_is_refused_with_a_state_format_error()
    {
        var days = ClerkDays.Make(_context, "QO1", 12, seed: 5);
        var watch = new BehaviourWatch(EntityKind.User, "QO1", _context);
        Run(watch, days);
        using var w = new StateWriter();
        watch.Save(w);
        var bytes = w.ToArray();
        var cut = bytes[..(bytes.Length * 2 / 3)];
        Assert.Throws<StateFormatException>(() => new BehaviourWatch(EntityKind.User, "QO1", _context).Restore(StateReader.Open(cut)));

        using var other = new StateWriter();
        new OwnHistory(28, 5).Save(other);
        var e = Assert.Throws<StateFormatException>(() => new BehaviourWatch(EntityKind.User, "QO1", _context).Restore(StateReader.Open(other.ToArray())));
        Assert.Contains("BehaviourWatch", e.Message);
    }

    private static string Text(ClosedWindow w) => $"{w.EntityId} {string.Join(',', w.Groups)} {w.Day} {string.Join(',', w.Features.Select(f => BitConverter.SingleToInt32Bits(f)))} {w.Trainable}";

    private static float[] Window(int reports, double postLoan)
    {
        var v = new float[BehaviourFeatures.Count];
        v[BehaviourFeatures.Queries] = (float)Math.Log(1 + reports);
        v[BehaviourFeatures.PostLoanShare] = (float)postLoan;
        v[BehaviourFeatures.ApprovalShare] = (float)(1 - postLoan);
        v[BehaviourFeatures.Terminals] = 1;
        v[BehaviourFeatures.ActiveUsers] = 1;
        return v;
    }
}

public sealed class BehaviourPartsStateTests
{
    private readonly DetectorContext _context = DetectorContext.Default();

    [Fact]
    public void A_branch_window_keeps_its_counters_subjects_terminals_and_users_and_gives_the_same_vector()
    {
        var window = new FeatureWindow(countUsers: true);
        var day = ClerkDays.Make(_context, "QO1", 1, seed: 2)[0].Events
            .Concat(ClerkDays.Make(_context, "QO2", 1, seed: 3)[0].Events).OrderBy(e => e.OccurredAt).ToList();
        window.Start(EventContext.Of(day[0], _context.Policies, _context.Calendar));
        foreach (var e in day.Take(30)) window.Add(EventContext.Of(e, _context.Policies, _context.Calendar));

        var fresh = new FeatureWindow(countUsers: true);
        Assert.Empty(StateComparer.RoundTrip(window, fresh, typeof(DetectorContext)));
        foreach (var e in day.Skip(30))
        {
            window.Add(EventContext.Of(e, _context.Policies, _context.Calendar));
            fresh.Add(EventContext.Of(e, _context.Policies, _context.Calendar));
        }
        Assert.Equal(window.Vector(), fresh.Vector());
        Assert.Equal(2, fresh.Vector()[BehaviourFeatures.ActiveUsers]);
    }

    [Fact]
    public void Own_history_keeps_its_rings_in_order_and_its_drift_so_the_usual_is_the_same_after_more_days()
    {
        var random = new Random(4);
        float[] Day() => [.. Enumerable.Range(0, BehaviourFeatures.Count).Select(_ => (float)random.NextDouble())];
        var history = new OwnHistory(28, 5);
        for (var i = 0; i < 40; i++) history.Add(i % 7 < 5, Day()); // the working ring wraps, the other does not yet
        history.Drift[3] = 1.25;

        var fresh = new OwnHistory(28, 5);
        Assert.Empty(StateComparer.RoundTrip(history, fresh));
        for (var i = 0; i < 6; i++)
        {
            var d = Day();
            history.Add(true, d);
            fresh.Add(true, d);
        }
        foreach (var working in new[] { true, false })
        {
            double[] m1 = new double[BehaviourFeatures.Count], s1 = new double[BehaviourFeatures.Count], m2 = new double[BehaviourFeatures.Count], s2 = new double[BehaviourFeatures.Count];
            history.Usual(working, m1, s1);
            fresh.Usual(working, m2, s2);
            Assert.Equal(m1, m2);
            Assert.Equal(s1, s2);
            Assert.Equal(history.UsableDays(working), fresh.UsableDays(working));
        }
    }

    [Fact]
    public void Own_history_restored_under_shorter_history_settings_keeps_the_newest_days()
    {
        var history = new OwnHistory(28, 5);
        for (var i = 0; i < 20; i++) history.Add(true, [.. Enumerable.Repeat((float)i, BehaviourFeatures.Count)]);
        using var w = new StateWriter();
        history.Save(w);
        var shorter = new OwnHistory(8, 2);
        shorter.Restore(StateReader.Open(w.ToArray()));
        Assert.Equal(8, shorter.UsableDays(true));
        double[] median = new double[BehaviourFeatures.Count], spread = new double[BehaviourFeatures.Count];
        shorter.Usual(true, median, spread);
        Assert.Equal(13.5, median[BehaviourFeatures.Queries]); // days 10..17 (the newest two are the lag)
    }

    [Fact]
    public void An_hour_series_saved_with_unscored_hours_scores_the_rest_bit_for_bit_as_the_original()
    {
        var lateness = TimeSpan.FromHours(2);
        var volume = new HourlyVolume(lateness);
        var random = new Random(9);
        var start = new DateTime(2026, 3, 2, 0, 0, 0);
        var reads = Enumerable.Range(0, 24 * 40).SelectMany(h => Enumerable.Range(0, h % 24 is >= 9 and < 17 ? random.Next(6) : 0).Select(_ => start.AddHours(h).AddMinutes(random.Next(60)))).ToList();
        var scored = new List<HourScore>();
        var cut = reads.Count * 3 / 4;
        foreach (var t in reads.Take(cut))
        {
            volume.Advance(t, scored);
            volume.Count(t);
        }

        var fresh = new HourlyVolume(lateness);
        Assert.Empty(StateComparer.RoundTrip(volume, fresh));
        List<HourScore> a = [], b = [];
        foreach (var t in reads.Skip(cut))
        {
            volume.Advance(t, a);
            volume.Count(t);
            fresh.Advance(t, b);
            fresh.Count(t);
        }
        Assert.True(a.Count > 100);
        Assert.Equal(a, b); // HourScore compares its doubles exactly (NaN equal to NaN)
        Assert.Equal(volume.HoursSeen, fresh.HoursSeen);
    }
}
