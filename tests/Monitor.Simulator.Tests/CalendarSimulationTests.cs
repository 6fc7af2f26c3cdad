using Monitor.Contracts;
using NodaTime;
using Xunit;

namespace Monitor.Simulator.Tests;

/// <summary>The simulator's calendar peaks, new hires and low-and-slow incident (issue 18).</summary>
public sealed class CalendarSimulationTests
{
    /// <summary>Twelve weeks around National Day 2026: the Mid-Autumn holiday, the quarter-end, the long holiday and its adjusted working days.</summary>
    private static readonly SimulationOptions AroundNationalDay = new()
    {
        Seed = 5, Start = new LocalDate(2026, 8, 24), Days = 84, Peaks = true, NewHires = 3, Incidents = new Dictionary<string, int>(),
    };

    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private static LocalDate DayOf(QueryLogEvent e) => Instant.FromDateTimeOffset(e.OccurredAt).InZone(Shanghai).Date;

    [Fact]
    public void Month_ends_the_quarter_end_and_the_days_after_a_long_holiday_are_labelled_peaks_with_their_factor()
    {
        var peaks = new BankSimulator(AroundNationalDay).Labels.Where(l => l.Kind == "peak_day")
            .ToDictionary(l => LocalDate.FromDateTime(l.Start.ToOffset(TimeSpan.FromHours(8)).DateTime), l => l.Factor);
        Assert.Equal(1.5, peaks[new LocalDate(2026, 8, 31)]);  // month-end, a Monday
        Assert.Equal(1.8, peaks[new LocalDate(2026, 9, 28)]);  // after Mid-Autumn (3 days)
        Assert.Equal(1.4, peaks[new LocalDate(2026, 9, 29)]);
        Assert.Equal(2.0, peaks[new LocalDate(2026, 9, 30)]);  // quarter-end, the last working day before National Day
        Assert.Equal(1.8, peaks[new LocalDate(2026, 10, 8)]);  // after National Day
        Assert.Equal(1.4, peaks[new LocalDate(2026, 10, 9)]);
        Assert.Equal(1.5, peaks[new LocalDate(2026, 10, 30)]); // October's last working day is a Friday
        Assert.DoesNotContain(new LocalDate(2026, 10, 10), peaks.Keys); // the adjusted working day (Saturday) is ordinary
        Assert.Equal(7, peaks.Count);
        Assert.All(new BankSimulator(AroundNationalDay).Labels.Where(l => l.Kind == "peak_day"), l => Assert.True(l.IsQuiet));
    }

    [Fact]
    public void On_a_peak_day_every_account_reads_about_the_days_factor_times_its_usual()
    {
        var sim = new BankSimulator(AroundNationalDay with { NewHires = 0 });
        var reads = sim.Events().Where(e => e.IsQuery).GroupBy(DayOf).ToDictionary(g => g.Key, g => g.GroupBy(e => e.UserId).ToDictionary(u => u.Key, u => u.Count()));
        // Wednesdays before the peaks, against the quarter-end Wednesday
        LocalDate[] ordinary = [new(2026, 9, 2), new(2026, 9, 9), new(2026, 9, 16), new(2026, 9, 23)];
        var counter = sim.Bank.Users.Where(u => u.Channel == Channel.Counter && u.DailyQueries > 0).Select(u => u.UserId).ToList();
        double Total(LocalDate d) => counter.Sum(u => reads[d].GetValueOrDefault(u));
        var usual = ordinary.Average(Total);
        Assert.InRange(Total(new LocalDate(2026, 9, 30)) / usual, 1.85, 2.15);
        // not a few users carrying the peak: most users are near the factor themselves
        var each = counter.Where(u => ordinary.Average(d => reads[d].GetValueOrDefault(u)) >= 15)
            .Select(u => reads[new LocalDate(2026, 9, 30)].GetValueOrDefault(u) / ordinary.Average(d => reads[d].GetValueOrDefault(u))).ToList();
        Assert.True(each.Count(f => f is > 1.4 and < 2.7) >= each.Count * 0.8, string.Join(", ", each.Select(f => f.ToString("0.00"))));
    }

    [Fact]
    public void A_new_hire_joins_with_an_account_created_by_its_administrator_and_ramps_up_over_three_weeks()
    {
        var sim = new BankSimulator(AroundNationalDay with { Peaks = false, Feeds = true });
        var hires = sim.Labels.Where(l => l.Kind == "new_hire").ToList();
        Assert.Equal(3, hires.Count);
        var events = sim.Events().ToList();
        foreach (var hire in hires)
        {
            var own = events.Where(e => e.UserId == hire.UserId).ToList();
            var created = Assert.Single(own, e => e.Action == AccountAction.Created);
            Assert.StartsWith("UA", created.ActorUserId);
            Assert.True(own.Where(e => e.IsQuery).All(e => e.OccurredAt > created.OccurredAt));
            Assert.Contains(events, e => e.StaffAction == StaffAction.Joined && e.EmployeeId == created.EmployeeId);
            var days = own.Where(e => e.IsQuery).GroupBy(DayOf).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
            Assert.True(days.Count >= 15, $"{hire.UserId}: {days.Count} days");
            Assert.True(days.Take(3).Average() * 2.5 < days.Skip(15).Take(5).Average(), $"{hire.UserId}: {string.Join(",", days)}");
            Assert.True(hire.IsQuiet);
            Assert.Empty(hire.TouchedUsers);
        }
    }

    [Fact]
    public void Low_and_slow_adds_three_or_four_unknown_post_loan_reads_a_day_for_three_weeks_and_nothing_else()
    {
        var options = new SimulationOptions { Seed = 7, Days = 56, Feeds = true, Incidents = IncidentKind.All.Concat(IncidentKind.FeedKinds).ToDictionary(k => k.Name, _ => 1) };
        var with = new BankSimulator(options);
        var label = Assert.Single(with.Labels, l => l.Kind == "low_and_slow");
        Assert.Equal(["POST_LOAN_CUMULATIVE"], label.ExpectedRules);
        var events = with.Events().ToList();
        var added = events.Where(e => e.EventId.StartsWith("ev-7-n", StringComparison.Ordinal)).ToList();
        var reads = added.Where(e => e.IsQuery).ToList();
        Assert.All(reads, e => Assert.Equal((label.UserId, Purpose.PostLoanManagement), (e.UserId, e.Purpose!.Value)));
        var perDay = reads.GroupBy(DayOf).Select(g => g.Count()).ToList();
        Assert.InRange(perDay.Count, 14, 16);
        Assert.All(perDay, n => Assert.InRange(n, 3, 4));
        Assert.Equal(reads.Count, reads.Select(e => e.SubjectId).Distinct().Count());
        Assert.Equal(reads.Count, added.Count(e => e.Type == EventType.Register)); // registered like every read

        // every other event of the seed is as it was without the incident: the kind draws and numbers on its own
        var without = new BankSimulator(options with { Incidents = options.Incidents.ToDictionary(kv => kv.Key, kv => kv.Key == "low_and_slow" ? 0 : kv.Value) });
        Assert.Equal(without.Events().Select(EventJson.Serialize), events.Except(added).Select(EventJson.Serialize));
        Assert.Equal(without.Labels, with.Labels.Where(l => l.Kind != "low_and_slow"), new LabelComparer());
    }

    private sealed class LabelComparer : IEqualityComparer<IncidentLabel>
    {
        public bool Equals(IncidentLabel? x, IncidentLabel? y) => LabelJson.Serialize(x!) == LabelJson.Serialize(y!);
        public int GetHashCode(IncidentLabel obj) => LabelJson.Serialize(obj).GetHashCode(StringComparison.Ordinal);
    }
}
