using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>The relative VOLUME_SPIKE, suppressions, and settings reloaded while running.</summary>
public sealed class VolumeRelativeAndSuppressionTests
{
    private static IEnumerable<QueryLogEvent> Day(DateTimeOffset day, int count, string user = "Q1") =>
        Enumerable.Range(0, count).Select(i => Ev.Query(user, day.AddMinutes(i * 2)));

    /// <summary>Three Mondays of 20 queries each: the user's usual Monday.</summary>
    private static IEnumerable<QueryLogEvent> UsualMondays() =>
        new[] { 2, 9, 16 }.SelectMany(d => Day(Ev.At(2026, 3, d, 8, 30), 20));

    [Fact]
    public void Day_four_times_above_the_users_usual_weekday_is_flagged()
    {
        var h = new Harness().Feed(UsualMondays()).Feed(Day(Ev.At(2026, 3, 23, 8, 30), 81));
        var alert = Assert.Single(h.LatestOf(RuleIds.VolumeSpike));
        Assert.Contains("user Q1 queried 81 credit reports on 2026-03-23; its usual day is 20 (threshold 80)", alert.Explanation);
    }

    [Fact]
    public void Busy_day_under_the_relative_threshold_or_without_history_is_not_flagged()
    {
        Assert.Empty(new Harness().Feed(UsualMondays()).Feed(Day(Ev.At(2026, 3, 23, 8, 30), 80)).Alerts(RuleIds.VolumeSpike));
        Assert.Empty(new Harness().Feed(Day(Ev.At(2026, 3, 23, 8, 30), 120)).Alerts(RuleIds.VolumeSpike));
    }

    [Fact]
    public void Branch_day_is_judged_the_same_when_one_users_partition_is_read_a_day_behind_another()
    {
        const string settings = """{ "volume": { "relativeMinBranch": 10 } }""";
        // Two users of one branch: 10 queries each on three Mondays, 41 and 40 on the fourth, then a Tuesday.
        var q1 = new[] { 2, 9, 16 }.SelectMany(d => Day(Ev.At(2026, 3, d, 8, 30), 10, "Q1")).Concat(Day(Ev.At(2026, 3, 23, 8, 30), 41, "Q1")).ToList();
        var q2 = new[] { 2, 9, 16 }.SelectMany(d => Day(Ev.At(2026, 3, d, 9, 30), 10, "Q2")).Concat(Day(Ev.At(2026, 3, 23, 9, 30), 40, "Q2"))
            .Concat(Day(Ev.At(2026, 3, 24, 9, 30), 10, "Q2")).ToList();
        var inOrder = Harness.FromJson(settings).Feed(q1.Concat(q2).OrderBy(e => e.OccurredAt));
        // Q1's partition is read a day behind Q2's: Q1's Monday arrives after Q2's Tuesday.
        var skewed = Harness.FromJson(settings).Feed(q1.Concat(q2).OrderBy(e => e.OccurredAt.AddDays(e.UserId == "Q1" ? 1 : 0)));

        string[] BranchSpikes(Harness h) => h.LatestOf(RuleIds.VolumeSpike).Where(a => a.EntityType == "branch").Select(a => a.Explanation).Order().ToArray();
        Assert.Contains("queried 81 credit reports on 2026-03-23; its usual day is 20 (threshold 80)", Assert.Single(BranchSpikes(inOrder)));
        Assert.Equal(BranchSpikes(inOrder), BranchSpikes(skewed));
    }

    [Fact]
    public void Suppressed_rule_raises_no_alert_until_it_expires_but_counting_goes_on()
    {
        var h = Harness.FromJson("""
            { "volume": { "userDaily": 10 },
              "suppressions": [{ "rule": "VOLUME_SPIKE", "entityType": "user", "entityId": "Q1", "until": "2026-03-02T10:00:00+08:00",
                                 "reason": "month-end reconciliation", "by": "analyst li" }] }
            """);
        h.Feed(Day(Ev.At(2026, 3, 2, 9, 0), 20)); // 09:00–09:38: suppressed
        Assert.Empty(h.Alerts(RuleIds.VolumeSpike));
        h.Feed(Ev.Query("Q1", Ev.At(2026, 3, 2, 10, 5)));
        Assert.Contains("queried 21 credit reports", Assert.Single(h.Alerts(RuleIds.VolumeSpike)).Explanation);
    }

    [Fact]
    public void Suppression_covers_only_its_rule_and_entity()
    {
        var h = Harness.FromJson("""
            { "suppressions": [{ "rule": "OFF_HOURS", "entityType": "user", "entityId": "Q1", "until": "2027-01-01T00:00:00+08:00", "reason": "night shift project", "by": "li" }] }
            """);
        h.Feed(Ev.Query("Q1", Ev.At(2026, 3, 2, 22)), Ev.Query("Q2", Ev.At(2026, 3, 2, 22)), Ev.Query("Q1", Ev.At(2026, 3, 2, 22, 5), purpose: Purpose.LoanApproval) with { AuthorizationId = null });
        Assert.Equal(["Q2"], h.Alerts(RuleIds.OffHours).Select(a => a.UserId));
        Assert.Single(h.Alerts(RuleIds.NoAuthorization));
    }

    [Fact]
    public void Reloaded_settings_apply_to_the_next_events_and_bad_settings_are_refused()
    {
        var h = new Harness();
        h.Feed(Day(Ev.At(2026, 3, 2, 9), 30));
        Assert.Empty(h.Alerts(RuleIds.VolumeSpike));
        Assert.Throws<SettingsException>(() => h.Context.Reload(new DetectionSettings { Volume = new VolumeThresholds { UserDaily = 0 } }));
        Assert.Equal(150, h.Context.Settings.Volume.UserDaily); // the last good settings stay
        h.Context.Reload(new DetectionSettings { Volume = new VolumeThresholds { UserDaily = 30 } });
        h.Feed(Ev.Query("Q1", Ev.At(2026, 3, 2, 11)));
        Assert.Contains("queried 31 credit reports on 2026-03-02; the daily threshold is 30", Assert.Single(h.Alerts(RuleIds.VolumeSpike)).Explanation);
    }
}
