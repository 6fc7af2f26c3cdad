using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Testing;
using Xunit;

namespace Monitor.Simulator.Tests;

/// <summary>Where <c>backtest --flight</c> takes its sides: live's and a flight's published alerts and suspensions, over a period of days.</summary>
public sealed class FlightComparisonTests
{
    private static Alert A(string id, string rule, int day, string? flight = null, int revision = 1, string user = "Q1", PermissionCommand? withheld = null) => new()
    {
        AlertId = id, Revision = revision, Rule = rule, EntityType = "user", EntityId = user, UserId = user, BranchId = "SB0101",
        Severity = "high", Score = 70, Day = $"2026-03-{day:00}", EventTime = Ev.At(2026, 3, day, 10), LastEventTime = Ev.At(2026, 3, day, 11),
        Count = revision, Explanation = $"{rule} on {user}", Evidence = ["e1"], Flight = flight, SuspensionRequested = flight is null && withheld is not null,
        WithheldCommand = withheld,
    };

    private static PermissionCommand Suspend(string user, string alertId, int day, int hour = 10) => new()
    {
        CommandId = StableId.Of("cmd", "suspend", user, alertId), Action = "suspend", UserId = user, BranchId = "SB0101",
        Reason = $"suspend {user} for {alertId}", AlertIds = [alertId], IssuedAt = Ev.At(2026, 3, day, hour),
    };

    [Fact]
    public void The_flights_alerts_and_withheld_suspensions_are_set_against_lives_over_the_days_of_the_period()
    {
        var live = new[]
        {
            A("v1", "VOLUME_SPIKE", 3), A("o1", "OFF_HOURS", 3), A("o1", "OFF_HOURS", 3, revision: 2),
            A("o0", "OFF_HOURS", 2), // before the period
            A("x1", "ADMIN_QUERY", 6), // after it
        };
        var liveCommands = new[]
        {
            Suspend("Q1", "o1", 3), Suspend("Q9", "o0", 2),
            new PermissionCommand { CommandId = "r1", Action = "reinstate", UserId = "Q1", BranchId = "SB0101", Reason = "officer", AlertIds = [], IssuedAt = Ev.At(2026, 3, 4, 9) },
        };
        var flown = new[]
        {
            A("v1", "VOLUME_SPIKE", 3, "lower"), A("v2", "VOLUME_SPIKE", 4, "lower", user: "Q2", withheld: Suspend("Q2", "v2", 4)),
            A("o1", "OFF_HOURS", 3, "lower", withheld: Suspend("Q1", "o1", 3)),
            A("v3", "VOLUME_SPIKE", 4, "other"), // another flight on the same topic
            A("v0", "VOLUME_SPIKE", 1, "lower"), // before the period
        };
        var period = new FlightPeriod(new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 5));
        var sides = FlightComparison.Sides("lower", live, liveCommands, flown, period);

        Assert.Equal(["o1", "v1"], sides.Live.Alerts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, sides.Live.Alerts["o1"].Revision);
        Assert.Equal(["o1", "v1", "v2"], sides.Flight.Alerts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Q1"], sides.Live.Suspensions.Select(c => c.UserId)); // the reinstatement is no suspension; Q9's is before the period
        Assert.Equal(["Q1", "Q2"], sides.Flight.Suspensions.Select(c => c.UserId));
        Assert.Null(sides.History.Events);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 0, 0, 0, Ev.China), sides.History.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 0, 0, 0, Ev.China).AddTicks(-1), sides.History.To);

        // The comparison is the backtest's own, named as the flight's.
        var r = Backtest.Compare(sides.Live, sides.Flight, null, sides.History, "live: credit.alerts", "flight lower: credit.alerts.candidate", "lower");
        Assert.Equal("lower", r.Flight);
        Assert.Equal(["v2"], r.Rules.Single(x => x.Rule == "VOLUME_SPIKE").Gained.Select(a => a.AlertId));
        Assert.Empty(r.Rules.Single(x => x.Rule == "OFF_HOURS").Lost);
        Assert.Equal(["Q2"], r.Suspensions.Gained.Select(s => s.UserId));
        Assert.Empty(r.Suspensions.Changed); // the same command id: the same suspension
        Assert.Equal(["2026-03-03", "2026-03-04", "2026-03-05"], r.Days);
        Assert.Contains("\"flight\": \"lower\"", r.ToJson());
        Assert.DoesNotContain("\"flight\"", Backtest.Compare(sides.Live, sides.Flight, null, sides.History, "a", "b").ToJson()); // a replay's report has none
    }

    [Fact]
    public void The_default_period_is_the_days_the_flights_alerts_name_and_the_flights_on_a_topic_are_listed()
    {
        var flown = new[] { A("a", "VOLUME_SPIKE", 4, "lower"), A("b", "VOLUME_SPIKE", 2, "lower"), A("c", "VOLUME_SPIKE", 9, "other"), A("d", "OFF_HOURS", 1) };
        Assert.Equal(new FlightPeriod(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4)), FlightComparison.Span("lower", flown));
        Assert.Null(FlightComparison.Span("nobody", flown));
        Assert.Equal(["lower", "other"], FlightComparison.Flights(flown));
        Assert.True(new FlightPeriod(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 2)).Holds(new DateTimeOffset(2026, 3, 1, 16, 30, 0, TimeSpan.Zero))); // 00:30 in Beijing
        Assert.False(new FlightPeriod(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 2)).Holds("2026-03"));
    }
}
