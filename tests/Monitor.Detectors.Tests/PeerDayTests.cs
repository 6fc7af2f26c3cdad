using Monitor.Contracts;
using Monitor.Detectors.Calendar;
using Monitor.Detectors.Peers;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>Issue 18, part 1: a day everyone shares is judged against everyone's day; a new account by its peers only.</summary>
public sealed class PeerDayTests
{
    private static readonly LocalDate Start = new(2026, 3, 2);
    private static readonly string[] Users = ["U1", "U2", "U3", "U4", "U5", "U6", "V1", "V2", "V3", "V4", "V5", "V6"];

    private static string BranchOf(string user) => user[0] == 'U' ? "SB0101" : "SB0102";

    /// <summary>The local day (yyyy-MM-dd) of working day <paramref name="index"/> from <see cref="Start"/>.</summary>
    private static string WorkingDay(Harness h, int index)
    {
        var d = Start;
        for (var i = 0; ; d = d.PlusDays(1))
            if (h.Context.Calendar.IsWorkingDay(d) && i++ == index) return d.ToString("yyyy-MM-dd", null);
    }

    /// <summary>
    /// <paramref name="days"/> working days from <see cref="Start"/> of every user reading about 20 reports (spread 09:00–17:00),
    /// times <paramref name="factor"/> (user, day index), and the next working day's first reads for the last day to close.
    /// </summary>
    private static List<QueryLogEvent> Traffic(Harness h, int days, Func<string, int, double> factor, int seed = 5)
    {
        var random = new Random(seed);
        var events = new List<QueryLogEvent>();
        var d = Start;
        for (var i = 0; i <= days; d = d.PlusDays(1))
        {
            if (!h.Context.Calendar.IsWorkingDay(d)) continue;
            var at = Ev.At(d.Year, d.Month, d.Day, 9);
            foreach (var user in Users)
            {
                var n = i == days ? 2 : (int)Math.Round((18 + random.Next(0, 5)) * factor(user, i));
                for (var k = 0; k < n; k++) events.Add(Ev.Query(user, at.AddMinutes(k * (i == days ? 1 : 470.0 / n)), BranchOf(user)));
            }
            i++;
        }
        return events.OrderBy(e => e.OccurredAt).ToList();
    }

    [Fact]
    public void On_a_day_the_whole_bank_reads_twice_its_usual_a_user_at_that_factor_is_ordinary_and_one_at_six_times_is_not()
    {
        var h = new Harness();
        h.Feed(Traffic(h, 26, (user, day) => day == 25 ? (user == "U1" ? 6 : 2) : 1));

        var outliers = h.LatestOf(RuleIds.BehaviourOutlier).Where(a => a.Day == WorkingDay(h, 25)).ToList();
        var alert = Assert.Single(outliers, a => a.EntityType == "user");
        Assert.Equal("U1", alert.UserId);
        Assert.Contains("on a day its peers (the rest of its branch and the bank) read", alert.Explanation);
        Assert.DoesNotContain(h.Latest, a => a.UserId is not null and not "U1");
    }

    [Fact]
    public void Without_its_peers_the_same_busy_day_would_have_been_everyone_s_outlier()
    {
        // The control: only U2 doubles, nobody else: its own past and its peers both say it is unusual.
        var h = new Harness();
        h.Feed(Traffic(h, 26, (user, day) => day == 25 && user == "U2" ? 2.4 : 1));
        Assert.Contains(h.LatestOf(RuleIds.BehaviourOutlier), a => a.UserId == "U2" && a.Day == WorkingDay(h, 25));
    }

    [Fact]
    public void A_new_account_ramping_up_is_judged_by_its_peers_only_and_one_without_a_known_creation_by_its_own_history()
    {
        QueryLogEvent[] Ramp(string user, bool created)
        {
            var h0 = new Harness();
            var events = new List<QueryLogEvent>();
            if (created) events.Add(Ev.Account(user, AccountAction.Created, Ev.At(2026, 3, 2, 8)));
            var d = Start;
            for (var i = 0; i < 24; d = d.PlusDays(1))
            {
                if (!h0.Context.Calendar.IsWorkingDay(d)) continue;
                var n = (int)Math.Round(4 + 1.2 * i); // from a fifth of a full day to more than a full day
                var at = Ev.At(d.Year, d.Month, d.Day, 9);
                for (var k = 0; k < n; k++) events.Add(Ev.Query(user, at.AddMinutes(k * 470.0 / n)));
                i++;
            }
            return [.. events];
        }
        var hired = new Harness().Feed(Ramp("N1", created: true)).Feed(Ev.DayAfter(Ev.At(2026, 4, 2, 10)));
        Assert.DoesNotContain(hired.LatestOf(RuleIds.BehaviourOutlier), a => a.EntityType == "user");
        var unknown = new Harness().Feed(Ramp("N2", created: false)).Feed(Ev.DayAfter(Ev.At(2026, 4, 2, 10)));
        Assert.Contains(unknown.LatestOf(RuleIds.BehaviourOutlier), a => a.UserId == "N2");
    }

    [Fact]
    public void A_declared_peak_and_a_learned_month_end_set_the_day_s_expected_factor_before_its_reads_say_it()
    {
        var calendar = new WorkCalendar([], [], [(new LocalDate(2026, 3, 18), 2.0)]);
        var peers = new PeerDays(calendar);
        (double User, double Branch, double Surge) First(LocalDate date, int reads, out (double User, double Branch, double Surge) last)
        {
            var day = date.ToDateOnly().DayNumber;
            var start = Ev.At(date.Year, date.Month, date.Day, 0);
            (double, double, double)? first = null;
            last = default;
            for (var k = 0; k < reads; k++)
            {
                var user = Users[k % Users.Length];
                var e = Ev.Query(user, start.AddHours(9).AddMinutes(k * 480.0 / reads), BranchOf(user));
                last = peers.Observe(e, day, start);
                first ??= last;
            }
            peers.Close(day);
            return first!.Value;
        }
        // Eight ordinary working days of 240 reads: the usual course of the bank and both branches.
        var d = Start;
        for (var i = 0; i < 12; d = d.PlusDays(1))
        {
            if (!calendar.IsWorkingDay(d)) continue;
            First(d, 240, out var ordinary);
            if (i++ >= 8) Assert.Equal(1, ordinary.User); // an ordinary day stamps nothing
        }
        // The declared day: the first read is expected at the declared factor; by the end the reads (twice the usual) agree.
        var declared = First(new LocalDate(2026, 3, 18), 480, out var declaredLast);
        Assert.InRange(declared.User, 1.8, 2.0);
        Assert.InRange(declaredLast.User, 1.7, 2.1);
        // April's last working day measured at 1.6: May's is expected at it from its first read.
        for (d = new LocalDate(2026, 3, 19); d < new LocalDate(2026, 4, 30); d = d.PlusDays(1))
            if (calendar.IsWorkingDay(d)) First(d, 240, out _);
        First(new LocalDate(2026, 4, 30), 384, out _);
        var mayEnd = First(new LocalDate(2026, 5, 29), 240, out _);
        Assert.InRange(mayEnd.User, 1.45, 1.65);
    }

    [Fact]
    public void Analysts_declare_peak_days_and_periods_in_a_calendar_file_and_a_wrong_one_is_refused_naming_it()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                { "holidays": [], "peaks": [ { "date": "2026-09-30", "factor": 2, "name": "季末" },
                                             { "from": "2026-10-08", "to": "2026-10-09", "factor": 1.6, "name": "节后" } ] }
                """);
            var calendar = WorkCalendar.Load([file]);
            Assert.Equal(2, calendar.DeclaredPeak(new LocalDate(2026, 9, 30)));
            Assert.Equal(1.6, calendar.DeclaredPeak(new LocalDate(2026, 10, 9)));
            Assert.Equal(1, calendar.DeclaredPeak(new LocalDate(2026, 10, 10)));
            Assert.Equal(Peaks.QuarterEnd, calendar.PeakKinds(new LocalDate(2026, 9, 30))); // the last working day before National Day
            Assert.Equal(Peaks.AfterHoliday, calendar.PeakKinds(new LocalDate(2026, 10, 8)));
            Assert.Equal(0, calendar.PeakKinds(new LocalDate(2026, 10, 10))); // an adjusted working day is an ordinary one

            File.WriteAllText(file, """{ "peaks": [ { "date": "2026-09-30", "factor": 0.5 } ] }""");
            var e = Assert.Throws<Settings.SettingsException>(() => WorkCalendar.Load([file]));
            Assert.StartsWith("settings: calendarFiles[0]:", e.Message);
            Assert.Contains("factor from 1 to 10", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
