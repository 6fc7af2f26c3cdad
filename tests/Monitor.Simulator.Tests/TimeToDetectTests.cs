using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Evaluation;
using Monitor.Testing;
using Xunit;

namespace Monitor.Simulator.Tests;

/// <summary>evaluate's time to detect per rule: from the first moment the threshold was crossed to when the monitor first raised the alert.</summary>
public sealed class TimeToDetectTests
{
    private static readonly DateTimeOffset Ten = Ev.At(2026, 3, 3, 10);

    private static Alert Raised(string rule, string user, DateTimeOffset detected, DateTimeOffset first) => new()
    {
        AlertId = $"al-{rule}-{user}", Revision = 1, Rule = rule, EntityType = "user", EntityId = user, UserId = user, BranchId = "SB0101",
        Severity = "medium", Score = 40, Day = "2026-03-03", EventTime = first, LastEventTime = detected, Count = 1, Explanation = "x", Evidence = ["e"],
        DetectedAt = detected,
    };

    [Fact]
    public void A_count_rule_is_timed_from_the_read_that_reached_its_threshold_and_a_late_alert_shows_how_late()
    {
        // Six reads of one subject, 30 minutes apart: REPEATED_SUBJECT's threshold (4) is crossed at the fourth, 11:30.
        var reads = Enumerable.Range(0, 6).Select(i => Ev.Query("Q1", Ten.AddMinutes(30 * i), id: $"r{i}") with { SubjectId = "s-same" }).ToList();
        var label = new IncidentLabel("repeated_subject", [RuleIds.RepeatedSubject], "user", "Q1", "Q1", "SB0101", Ten, Ten.AddHours(3), false)
        {
            TouchedUsers = ["Q1"], Events = reads.Select(e => e.EventId).ToList(),
        };
        var crossing = new ThresholdCrossing(reads, new DetectionSettings(), [label]);

        var atOnce = Evaluator.Evaluate([Raised(RuleIds.RepeatedSubject, "Q1", reads[3].OccurredAt, reads[3].OccurredAt)], [], [label], 10, crossing);
        Assert.Equal(TimeSpan.Zero, atOnce.Incidents[0].ByRule[RuleIds.RepeatedSubject]);
        Assert.Equal(TimeSpan.FromMinutes(90), atOnce.Incidents[0].TimeToDetect); // from the incident's start, as before

        var late = Evaluator.Evaluate([Raised(RuleIds.RepeatedSubject, "Q1", reads[3].OccurredAt.AddMinutes(75), reads[3].OccurredAt)], [], [label], 10, crossing);
        var timing = Assert.Single(late.Timings);
        Assert.Equal((RuleIds.RepeatedSubject, 1, TimeSpan.FromMinutes(75), TimeSpan.FromMinutes(75)), (timing.Rule, timing.Incidents, timing.Median, timing.Worst));
        Assert.Matches(@"(?m)^  REPEATED_SUBJECT\s+1\s+75\.0 min\s+75\.0 min$", late.Format());

        // With settings of its own the threshold moves: at perUserCount 3 the same alert is 105 minutes late.
        var stricter = new ThresholdCrossing(reads, new DetectionSettings { RepeatedSubject = new RepeatedSubjectSettings { PerUserCount = 3 } }, [label]);
        Assert.Equal(TimeSpan.FromMinutes(105), Evaluator.Evaluate([Raised(RuleIds.RepeatedSubject, "Q1", reads[3].OccurredAt.AddMinutes(75), reads[3].OccurredAt)], [], [label], 10, stricter).Incidents[0].ByRule[RuleIds.RepeatedSubject]);
    }

    [Fact]
    public void Something_missing_is_timed_from_when_it_could_no_longer_come_and_without_the_events_there_is_no_table()
    {
        var read = Ev.Query("Q2", Ten, id: "bare");
        var label = new IncidentLabel("register_mismatch", [RuleIds.RegisterMismatch], "user", "Q2", "Q2", "SB0101", Ten, Ten.AddHours(1), false)
        {
            TouchedUsers = ["Q2"], Events = ["bare"],
        };
        var crossing = new ThresholdCrossing([read], new DetectionSettings(), [label]);
        // 60 minutes for a late entry and 120 of allowed lateness: 13:00; raised at 13:20.
        var report = Evaluator.Evaluate([Raised(RuleIds.RegisterMismatch, "Q2", Ten.AddMinutes(200), Ten)], [], [label], 10, crossing);
        Assert.Equal(TimeSpan.FromMinutes(20), report.Incidents[0].ByRule[RuleIds.RegisterMismatch]);

        var without = Evaluator.Evaluate([Raised(RuleIds.RegisterMismatch, "Q2", Ten.AddMinutes(200), Ten)], [], [label], 10);
        Assert.Empty(without.Timings);
        Assert.DoesNotContain("time to detect per rule", without.Format());
    }
}
