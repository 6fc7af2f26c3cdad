using Monitor.Detectors.Pipeline;
using Monitor.Contracts;
using Monitor.Detectors.Behaviour;
using Monitor.Models;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class BehaviourTests
{
    private static readonly LocalDate Start = new(2026, 3, 2);

    /// <summary>Working days from <see cref="Start"/> on, each with the queries <paramref name="day"/> makes for its index.</summary>
    private static List<QueryLogEvent> Days(Harness h, int count, Func<int, DateTimeOffset, IEnumerable<QueryLogEvent>> day)
    {
        var events = new List<QueryLogEvent>();
        var d = Start;
        for (var i = 0; i < count; d = d.PlusDays(1))
        {
            if (!h.Context.Calendar.IsWorkingDay(d)) continue;
            events.AddRange(day(i++, Ev.At(d.Year, d.Month, d.Day, 9)));
        }
        return events;
    }

    private static IEnumerable<QueryLogEvent> Mix(string user, DateTimeOffset at, int total, int postLoan) =>
        Enumerable.Range(0, total).Select(i => Ev.Query(user, at.AddMinutes(17 * i), purpose: i < postLoan ? Purpose.PostLoanManagement : Purpose.LoanApproval));

    [Fact]
    public void A_user_whose_purposes_shift_to_post_loan_is_flagged_the_night_after_with_the_share_against_its_usual()
    {
        var h = new Harness();
        h.Feed(Days(h, 20, (_, at) => Mix("QO1", at, 15, 3)));
        h.Feed(Days(h, 22, (i, at) => i < 20 ? [] : i == 20 ? Mix("QO1", at, 15, 12) : Mix("QO1", at, 15, 3)));
        var alert = Assert.Single(h.LatestOf(RuleIds.BehaviourOutlier), a => a.EntityType == "user");
        Assert.Equal("QO1", alert.EntityId);
        Assert.Contains("post-loan share 80% vs 20% usual", alert.Explanation);
        Assert.InRange(alert.Score, 50, 100);
        Assert.False(alert.SuspensionRequested);
    }

    [Fact]
    public void Ordinary_days_with_counting_noise_raise_no_behaviour_alert()
    {
        var h = new Harness();
        var random = new Random(5);
        h.Feed(Days(h, 60, (_, at) => Mix("QO2", at, random.Next(8, 25), random.Next(0, 6))));
        Assert.Empty(h.LatestOf(RuleIds.BehaviourOutlier));
    }

    [Fact]
    public void Volume_creeping_up_ten_percent_a_day_is_flagged_as_a_build_up_before_it_doubles()
    {
        var h = new Harness();
        var counts = Enumerable.Range(0, 40).Select(i => i < 25 ? 20 : (int)Math.Round(20 * Math.Pow(1.1, i - 24))).ToList();
        h.Feed(Days(h, 40, (i, at) => Mix("QO3", at, counts[i], 3)));
        var first = h.LatestOf(RuleIds.BehaviourOutlier).OrderBy(a => a.EventTime).First();
        Assert.Contains("above its usual day after day", first.Explanation);
        var queries = int.Parse(System.Text.RegularExpressions.Regex.Match(first.Explanation, @"queries (\d+) vs").Groups[1].Value);
        Assert.True(queries < 40, $"flagged only at {queries} queries a day: {first.Explanation}");
    }

    [Fact]
    public void A_new_user_without_history_is_judged_by_its_peers_model()
    {
        var h = new Harness();
        var random = new Random(3);
        var groups = BehaviourWatch.GroupsOf(EntityKind.User, Ev.Query("QO9"));
        var windows = Enumerable.Range(0, 300).Select(i => new ClosedWindow($"P{i % 10}", groups, i / 10, Window(15 + random.Next(-4, 5), 0.15 + random.NextDouble() * 0.1), true)).ToList();
        h.Context.Install(PeerModelBuilder.Build("test", 30, BehaviourFeatures.Names, groups.ToDictionary(g => g, _ => (IReadOnlyList<ClosedWindow>)windows), minScale: BehaviourFeatures.MinScale));
        Assert.Equal(3, h.Context.Models.Models.Count); // one per level, even though most features never vary among these peers

        h.Feed(Days(h, 2, (i, at) => i == 0 ? Mix("QO9", at, 20, 18) : Mix("QO9", at, 2, 0)));
        var alert = Assert.Single(h.LatestOf(RuleIds.BehaviourOutlier));
        Assert.Contains("departs from its peers", alert.Explanation);
        Assert.Contains("no own history yet", alert.Explanation);
        Assert.Contains("post-loan share 90% vs SB0101 query_operator/counter median", alert.Explanation);
    }

    [Fact]
    public void Analysts_switching_the_models_off_silences_them()
    {
        var h = Harness.FromJson("""{"behaviour": {"enabled": false}}""");
        h.Feed(Days(h, 20, (_, at) => Mix("QO1", at, 15, 3)));
        h.Feed(Days(h, 22, (i, at) => i < 20 ? [] : i == 20 ? Mix("QO1", at, 15, 12) : Mix("QO1", at, 15, 3)));
        Assert.Empty(h.LatestOf(RuleIds.BehaviourOutlier));
    }

    [Fact]
    public void The_end_of_day_tick_publishes_nothing_but_the_closing_windows_findings()
    {
        var context = DetectorContext.Default();
        var user = new UserMonitor("UA1", context);
        var output = new DetectionOutput();
        user.Process(Ev.Query("UA1", Ev.Monday10, role: UserRole.UserAdmin), output);
        Assert.Single(output.Alerts); // ADMIN_QUERY
        user.EndOfDay(new DayClose(new DateOnly(2026, 3, 2).DayNumber, Ev.At(2026, 3, 3, 2)), output);
        Assert.Single(output.Alerts);
        Assert.Single(output.Windows); // the day's window went to training
    }

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

public sealed class TailsTests
{
    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.02275, 2)]
    [InlineData(1.35e-3, 3)]
    [InlineData(2.87e-7, 5)]
    public void Tail_probabilities_map_to_the_normal_deviation_with_that_tail(double tail, double z) =>
        Assert.Equal(z, Tails.ZOfTail(tail), 2);

    [Fact]
    public void Two_of_five_at_a_three_percent_rate_is_unusual_but_not_an_alarm() =>
        Assert.InRange(Tails.BinomialZ(2, 5, 0.03), 2, 3);

    [Fact]
    public void Twelve_of_fifteen_at_a_twenty_percent_rate_is_an_alarm() =>
        Assert.InRange(Tails.BinomialZ(12, 15, 0.2), 4.5, 5.5);
}
