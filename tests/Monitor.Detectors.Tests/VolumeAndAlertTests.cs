using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class VolumeAndAlertTests
{
    private static QueryLogEvent[] Day(int count, int day = 3, string user = "Q440100", string branch = "SB0101") =>
        Enumerable.Range(0, count).Select(i => Ev.Query(user: user, branch: branch, at: Ev.At(2026, 3, day, 9).AddSeconds(i * 20))).ToArray();

    [Fact]
    public void User_at_the_daily_threshold_is_not_flagged() =>
        Assert.Empty(new Harness().Feed(Day(150)).Alerts(RuleIds.VolumeSpike));

    [Fact]
    public void Query_over_the_daily_threshold_raises_one_alert_with_the_count()
    {
        var h = new Harness().Feed(Day(151));
        var alert = Assert.Single(h.Alerts(RuleIds.VolumeSpike));
        Assert.Equal("user", alert.EntityType);
        Assert.Contains("user Q440100 queried 151 credit reports on 2026-03-03; the daily threshold is 150", alert.Explanation);
    }

    [Fact]
    public void Spike_updates_one_alert_and_the_score_grows_with_the_excess()
    {
        var h = new Harness().Feed(Day(400));
        var revisions = h.Alerts(RuleIds.VolumeSpike);
        Assert.Single(revisions.Select(a => a.AlertId).Distinct());
        Assert.True(revisions[^1].Score > revisions[0].Score);
        Assert.Equal(128, revisions[^1].Count); // findings 1, 2, 4, ... 128 published; the day is still open
        Assert.Contains("queried 278 credit reports", revisions[^1].Explanation);
    }

    [Fact]
    public void Closing_the_day_publishes_the_final_count()
    {
        var h = new Harness().Feed(Day(400)).Feed(Ev.Query(at: Ev.At(2026, 3, 5, 9)));
        var last = h.Latest.Single(a => a.Rule == RuleIds.VolumeSpike);
        Assert.Equal(250, last.Count);
        Assert.Contains("queried 400 credit reports", last.Explanation);
    }

    [Fact]
    public void Next_day_starts_counting_afresh() =>
        Assert.Empty(new Harness().Feed(Day(100, 3)).Feed(Day(100, 4)).Alerts(RuleIds.VolumeSpike));

    [Fact]
    public void Monthly_threshold_fires_once_when_crossed()
    {
        var settings = new DetectionSettings { Volume = new VolumeThresholds { UserDaily = null, UserMonthly = 100, BranchDaily = null, BranchMonthly = null } };
        var h = new Harness(settings).Feed(Day(60, 3)).Feed(Day(60, 4)).Feed(Day(60, 5));
        var alert = Assert.Single(h.Alerts(RuleIds.VolumeSpike));
        Assert.Contains("101 credit reports in 2026-03", alert.Explanation);
        Assert.Equal("2026-03-04", alert.Day);
    }

    [Fact]
    public void Branch_over_its_daily_threshold_is_flagged_on_the_branch()
    {
        var settings = new DetectionSettings { Volume = new VolumeThresholds { BranchDaily = 100 } };
        var events = Enumerable.Range(0, 5).SelectMany(u => Day(25, user: $"Q{u}")).OrderBy(e => e.OccurredAt).ToArray();
        var h = new Harness(settings).Feed(events);
        var alert = h.Alerts(RuleIds.VolumeSpike)[0];
        Assert.Single(h.Alerts(RuleIds.VolumeSpike).Select(a => a.AlertId).Distinct());
        Assert.Equal("branch", alert.EntityType);
        Assert.Equal("SB0101", alert.EntityId);
        Assert.Contains("branch SB0101 queried 101", alert.Explanation);
    }

    [Fact]
    public void Per_branch_volume_override_raises_the_threshold() =>
        Assert.Empty(Harness.FromJson("""{ "branches": { "SB0101": { "volume": { "userDaily": 500 } } } }""").Feed(Day(300)).Alerts(RuleIds.VolumeSpike));

    [Fact]
    public void Alert_id_is_the_same_on_every_run_and_differs_by_day()
    {
        string Id(int day) => new Harness().Feed(Ev.Query(at: Ev.At(2026, 3, day, 22))).Alerts(RuleIds.OffHours)[0].AlertId;
        Assert.Equal(Id(3), Id(3));
        Assert.NotEqual(Id(3), Id(4));
    }

    [Fact]
    public void Evidence_is_bounded_while_the_count_keeps_growing()
    {
        var h = new Harness().Feed(Day(400)).Feed(Ev.Query(at: Ev.At(2026, 3, 5, 9)));
        var last = h.Latest.Single(a => a.Rule == RuleIds.VolumeSpike);
        Assert.Equal(Alerts.AlertBook.MaxEvidence, last.Evidence.Count);
    }
}

public sealed class AlertReopeningTests
{
    [Fact]
    public void Late_finding_after_its_day_closed_continues_the_same_alert_with_the_next_revision()
    {
        var book = new Alerts.AlertBook(DetectorContext.Default());
        Finding F(string id) => new(RuleIds.OffHours, EntityKind.User, "Q1", "Q1", "B", Severity.Medium, Monitor.Testing.Ev.At(2026, 3, 3, 22), id, Texts.Phrase.Literal("x"));
        var first = book.Apply(F("a"), "2026-03-03")!;
        var closing = new List<Contracts.Alert>();
        book.Apply(F("b"), "2026-03-03");
        book.Close("2026-03-04", closing);
        Assert.Empty(closing); // revision 2 (count 2) was already published
        Assert.Null(book.Apply(F("c"), "2026-03-03")); // count 3: not a publishing point
        book.Close("2026-03-05", closing);
        var final = Assert.Single(closing);
        Assert.Equal((first.AlertId, 3, 3), (final.AlertId, final.Count, final.Revision));
    }
}
