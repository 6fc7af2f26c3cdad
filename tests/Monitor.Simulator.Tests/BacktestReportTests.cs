using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Testing;
using Xunit;

namespace Monitor.Simulator.Tests;

/// <summary>The pure comparison behind <c>monitor backtest</c>: two runs' alerts and commands, and the officers' verdicts.</summary>
public sealed class BacktestReportTests
{
    private static Alert A(string id, string rule, int revision = 1, string day = "2026-03-02", string user = "Q1", string? explanation = null) => new()
    {
        AlertId = id, Revision = revision, Rule = rule, EntityType = "user", EntityId = user, UserId = user, BranchId = "SB0101",
        Severity = "high", Score = 70, Day = day, EventTime = Ev.At(2026, 3, int.Parse(day[^2..], System.Globalization.CultureInfo.InvariantCulture), 10),
        LastEventTime = Ev.At(2026, 3, int.Parse(day[^2..], System.Globalization.CultureInfo.InvariantCulture), 11),
        Count = revision, Explanation = explanation ?? $"{rule} on {user}, revision {revision}", Evidence = ["e1"],
    };

    private static PermissionCommand Suspend(string user, string alertId, int hour) => new()
    {
        CommandId = StableId.Of("cmd", "suspend", user, alertId), Action = "suspend", UserId = user, BranchId = "SB0101",
        Reason = $"suspend {user} for {alertId}", AlertIds = [alertId], IssuedAt = Ev.At(2026, 3, 3, hour),
    };

    private static readonly BacktestHistory ThreeDays = new(1000, Ev.At(2026, 3, 2, 8), Ev.At(2026, 3, 4, 17));

    [Fact]
    public void Alerts_are_matched_by_id_at_their_highest_revision_and_gained_and_lost_are_the_set_differences()
    {
        var baseline = new BacktestRun(
            [A("v1", "VOLUME_SPIKE"), A("v1", "VOLUME_SPIKE", revision: 3, explanation: "latest"), A("v1", "VOLUME_SPIKE", revision: 2), A("v2", "VOLUME_SPIKE", day: "2026-03-03"), A("o1", "OFF_HOURS")], []);
        var candidate = new BacktestRun(
            [A("v1", "VOLUME_SPIKE"), A("v3", "VOLUME_SPIKE", day: "2026-03-03", user: "Q2"), A("v4", "VOLUME_SPIKE", day: "2026-03-04", user: "Q3"), A("o1", "OFF_HOURS")], []);
        var r = Backtest.Compare(baseline, candidate, null, ThreeDays, "defaults", "candidate.json");

        var volume = Assert.Single(r.Rules, x => x.Rule == "VOLUME_SPIKE");
        Assert.Equal((2, 3), (volume.Baseline, volume.Candidate));
        Assert.Equal(["v3", "v4"], volume.Gained.Select(a => a.AlertId));
        Assert.Equal(["v2"], volume.Lost.Select(a => a.AlertId));
        Assert.Equal("VOLUME_SPIKE on Q2, revision 1", volume.Gained[0].Explanation);
        Assert.Null(volume.Precision);
        Assert.Null(volume.Recall);
        var offHours = Assert.Single(r.Rules, x => x.Rule == "OFF_HOURS");
        Assert.Equal((1, 1, 0, 0), (offHours.Baseline, offHours.Candidate, offHours.Gained.Count, offHours.Lost.Count));
        Assert.Equal((3, 4, 2, 1), (r.Totals.Baseline, r.Totals.Candidate, r.Totals.Gained, r.Totals.Lost));
        // per day, every day of the history, an alert on its day
        Assert.Equal([("2026-03-02", 1, 1), ("2026-03-03", 1, 1), ("2026-03-04", 0, 1)], volume.Days.Select(d => (d.Day, d.Baseline, d.Candidate)));
        Assert.Equal(["2026-03-02", "2026-03-03", "2026-03-04"], r.Days);
        // the highest revision's explanation is the one listed
        var lostBy = Backtest.Compare(baseline, new BacktestRun([], []), null, ThreeDays, "defaults", "c.json");
        Assert.Equal("latest", lostBy.Rules.Single(x => x.Rule == "VOLUME_SPIKE").Lost.Single(a => a.AlertId == "v1").Explanation);
    }

    [Fact]
    public void Precision_and_recall_per_rule_come_from_the_verdicts_with_the_unjudged_counted()
    {
        var baseline = new BacktestRun([A("v1", "VOLUME_SPIKE"), A("v2", "VOLUME_SPIKE"), A("v5", "VOLUME_SPIKE"), A("o1", "OFF_HOURS")], []);
        var candidate = new BacktestRun([A("v1", "VOLUME_SPIKE"), A("v3", "VOLUME_SPIKE"), A("v4", "VOLUME_SPIKE"), A("v6", "VOLUME_SPIKE")], []);
        Verdict[] verdicts =
        [
            new("v1", "VOLUME_SPIKE", Violation: true),
            new("v2", "VOLUME_SPIKE", Violation: false),
            new("v3", "VOLUME_SPIKE", Violation: true),
            new("v4", "VOLUME_SPIKE", Violation: false),
            new("v9", "VOLUME_SPIKE", Violation: true), // confirmed, raised by neither
            new("o1", "OFF_HOURS", Violation: true),
            new("d1", "DORMANT_ACCOUNT", Violation: false), // a rule neither raises
        ];
        var r = Backtest.Compare(baseline, candidate, verdicts, ThreeDays, "defaults", "c.json");

        var volume = r.Rules.Single(x => x.Rule == "VOLUME_SPIKE");
        Assert.Equal(new Precision(1, 1, 1), volume.Precision!.Baseline); // v1 confirmed, v2 dismissed, v5 unjudged
        Assert.Equal(new Precision(2, 1, 1), volume.Precision.Candidate); // v1, v3 confirmed, v4 dismissed, v6 unjudged
        Assert.Equal(0.5, volume.Precision.Baseline.Value);
        Assert.Equal(0.6667, volume.Precision.Candidate.Value);
        Assert.Equal(new Recall(1, 3), volume.Recall!.Baseline); // of v1, v3, v9
        Assert.Equal(new Recall(2, 3), volume.Recall.Candidate);
        Assert.Equal(0.3333, volume.Recall.Baseline.Value);
        Assert.Equal(["confirmed", "dismissed", null], volume.Gained.Select(a => a.Verdict));
        Assert.Equal(["dismissed", null], volume.Lost.Select(a => a.Verdict));

        var offHours = r.Rules.Single(x => x.Rule == "OFF_HOURS");
        Assert.Equal((1, 0), (offHours.Recall!.Baseline.Confirmed, offHours.Recall.Candidate.Confirmed));
        Assert.Equal(0.0, offHours.Recall.Candidate.Value);
        Assert.Null(offHours.Precision!.Candidate.Value); // nothing raised, nothing judged
        var dormant = r.Rules.Single(x => x.Rule == "DORMANT_ACCOUNT");
        Assert.Equal((0, 0), (dormant.Baseline, dormant.Candidate));
        Assert.Null(dormant.Recall!.Baseline.Value);

        Assert.Equal(new VerdictCounts(4, 3), r.Verdicts);
        Assert.Equal(new Precision(2, 1, 1), r.Totals.Precision!.Baseline);
        Assert.Equal(new Recall(2, 4), r.Totals.Recall!.Baseline);
        Assert.Equal(new Recall(2, 4), r.Totals.Recall.Candidate);

        var scored = Backtest.Score(candidate.Alerts.Values, verdicts);
        Assert.Equal(volume.Precision.Candidate, scored.Rules.Single(x => x.Rule == "VOLUME_SPIKE").Precision);
        Assert.Equal(volume.Recall.Candidate, scored.Rules.Single(x => x.Rule == "VOLUME_SPIKE").Recall);
        Assert.Equal((4, 3), (scored.Confirmed, scored.Dismissed));
    }

    [Fact]
    public void Suspensions_that_would_change_are_users_gained_lost_and_suspended_for_another_alert()
    {
        var baseline = new BacktestRun([], [Suspend("UA01", "a1", 9), Suspend("Q2", "a2", 10), Suspend("Q3", "a3", 11), Suspend("Q3", "a3", 11)]);
        var candidate = new BacktestRun([], [Suspend("UA01", "a1", 9), Suspend("Q3", "a7", 8), Suspend("Q4", "a4", 12)]);
        var s = Backtest.Compare(baseline, candidate, null, ThreeDays, "defaults", "c.json").Suspensions;
        Assert.Equal((3, 3), (s.Baseline, s.Candidate)); // a redelivered command counts once
        Assert.Equal(["Q4"], s.Gained.Select(x => x.UserId));
        Assert.Equal(["Q2"], s.Lost.Select(x => x.UserId));
        var moved = Assert.Single(s.Changed);
        Assert.Equal(("Q3", "a3", "a7"), (moved.UserId, moved.Baseline.AlertIds[0], moved.Candidate.AlertIds[0]));
    }

    [Fact]
    public void The_json_has_the_documented_shape_and_reads_back()
    {
        var r = Backtest.Compare(new BacktestRun([A("v1", "VOLUME_SPIKE")], []), new BacktestRun([A("v2", "VOLUME_SPIKE", explanation: "用户 Q1 查询 61 次")], []),
            [new Verdict("v1", "VOLUME_SPIKE", true)], ThreeDays, "defaults", "candidate.json");
        var json = r.ToJson();
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var rule = doc.RootElement.GetProperty("rules")[0];
        Assert.Equal("VOLUME_SPIKE", rule.GetProperty("rule").GetString());
        Assert.Equal(1, rule.GetProperty("baseline").GetInt32());
        Assert.Equal(1, rule.GetProperty("candidate").GetInt32());
        Assert.Equal("v2", rule.GetProperty("gained")[0].GetProperty("alertId").GetString());
        Assert.Equal("v1", rule.GetProperty("lost")[0].GetProperty("alertId").GetString());
        Assert.Equal(1.0, rule.GetProperty("precision").GetProperty("baseline").GetProperty("value").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rule.GetProperty("precision").GetProperty("candidate").GetProperty("value").ValueKind);
        Assert.Equal(0.0, rule.GetProperty("recall").GetProperty("candidate").GetProperty("value").GetDouble());
        Assert.Contains("用户 Q1 查询 61 次", json); // not \u-escaped
        Assert.False(doc.RootElement.TryGetProperty("Days", out _));
        var back = BacktestReport.FromJson(json);
        Assert.Equal(r.Rules[0].Gained, back.Rules[0].Gained);
        Assert.Equal(r.Rules[0].Precision, back.Rules[0].Precision);
        Assert.Equal(r.Totals, back.Totals);
    }
}
