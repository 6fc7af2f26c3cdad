using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

public sealed class FlightTests
{
    private static IngestedEvent[] Events() =>
    [
        new(Ev.Query(at: Ev.At(2026, 3, 3, 9)), 0),
        new(Ev.Query(user: "QB", at: Ev.At(2026, 3, 3, 9, 1)), 0),
        new(Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10)), 0), // an admin's query: alert and suspension live
    ];

    [Fact]
    public async Task The_candidates_alerts_are_tagged_with_its_name_never_suspend_and_its_commands_are_withheld()
    {
        var clock = new FixedClock(Ev.At(2026, 6, 1, 0));
        // What live makes of the same batch: an alert asking for a suspension, and its command.
        await using var live = DetectionGraph.Start(DetectorContext.Default().Current, clock);
        var liveResult = await live.ProcessAsync(Events());
        Assert.Contains(liveResult.Alerts, a => a.SuspensionRequested && a.Flight is null);
        Assert.NotEmpty(liveResult.Commands);

        var published = new List<Alert>();
        var reports = new List<BatchReport>();
        var flight = new FlightRunner("lower-volume", DetectionGraph.Start(DetectorContext.Default().Current, clock)) { Publish = published.AddRange };
        flight.BatchPublished += reports.Add;
        Assert.True(flight.Offer(Events()));
        await flight.DisposeAsync();

        Assert.NotEmpty(published);
        Assert.All(published, a => Assert.Equal("lower-volume", a.Flight));
        Assert.All(published, a => Assert.False(a.SuspensionRequested));
        Assert.Equal(liveResult.Alerts.Select(a => a.AlertId), published.Select(a => a.AlertId));
        Assert.All(reports, r => Assert.Empty(r.Commands));
        Assert.Equal(liveResult.Commands.Count, flight.WithheldCommands);
        Assert.Equal(3, flight.Stats.Events);
        Assert.Equal(0, flight.Stats.Commands);
        Assert.Contains("\"flight\":\"lower-volume\"", OutputJson.Serialize(published[0]));
        Assert.DoesNotContain("\"flight\"", OutputJson.Serialize(liveResult.Alerts[0])); // absent for live
        // The suspensions withheld ride on the alerts they cite, for the backtest to compare with live's.
        Assert.Equal(liveResult.Commands.Select(OutputJson.Serialize), published.Select(a => a.WithheldCommand).OfType<PermissionCommand>().DistinctBy(c => c.CommandId).Select(OutputJson.Serialize));
        Assert.Contains("\"withheldCommand\":{", OutputJson.Serialize(published.First(a => a.WithheldCommand is not null)));
        Assert.DoesNotContain("withheldCommand", OutputJson.Serialize(liveResult.Alerts[0]));
    }

    [Fact]
    public async Task A_reloaded_candidate_reaches_the_shadow_graph_and_a_stopped_flight_hears_no_more()
    {
        var clock = new FixedClock(Ev.At(2026, 6, 1, 0));
        var candidate = new SettingsInForce(Monitor.Detectors.Settings.SettingsLoader.Parse("""{ "volume": { "userDaily": 100 } }"""));
        var reports = new List<BatchReport>();
        var flight = new FlightRunner("reloaded", DetectionGraph.Start(candidate.Current, clock), settings: candidate);
        flight.BatchPublished += reports.Add;
        IngestedEvent[] Queries(int hour) => [.. Enumerable.Range(0, 5).Select(i => new IngestedEvent(Ev.Query(user: "QO0101", at: Ev.At(2026, 3, 3, hour, i)), 0))];

        Assert.True(flight.Offer(Queries(9)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (reports.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        candidate.Replace(Monitor.Detectors.Settings.SettingsLoader.Parse("""{ "volume": { "userDaily": 3 } }""")); // the analyst saves a lower threshold
        Assert.True(flight.Offer(Queries(10)));
        await flight.DisposeAsync();
        candidate.Replace(Monitor.Detectors.Settings.SettingsLoader.Parse("""{ "volume": { "userDaily": 50 } }""")); // after the stop: nobody to tell, nothing thrown

        Assert.Equal(2, reports.Count);
        Assert.DoesNotContain(reports[0].Alerts, a => a.Rule == RuleIds.VolumeSpike); // 5 queries under 100
        Assert.Contains(reports[1].Alerts, a => a.Rule == RuleIds.VolumeSpike && a.Flight == "reloaded"); // 10 over 3
    }

    [Fact]
    public void Rules_tag_and_clear_the_suspension_and_publish_no_command()
    {
        var alert = new Alert
        {
            AlertId = "a1", Revision = 1, Rule = "admin_query", EntityType = "user", EntityId = "U", Severity = "critical", Score = 90, Day = "2026-03-03",
            EventTime = Ev.At(2026, 3, 3, 10), LastEventTime = Ev.At(2026, 3, 3, 10), Count = 1, Explanation = "x", Evidence = ["e"], SuspensionRequested = true,
        };
        var command = new PermissionCommand
        {
            CommandId = "c1", Action = "suspend", UserId = "U", BranchId = "B", Reason = "r", AlertIds = ["a1"], IssuedAt = Ev.At(2026, 3, 3, 10),
        };
        var report = FlightRules.Shadow(new BatchProcessed(1, [alert], [command], [], 0), "cand", [], null);
        var tagged = Assert.Single(report.Alerts);
        Assert.Equal("cand", tagged.Flight);
        Assert.False(tagged.SuspensionRequested);
        Assert.Same(command, tagged.WithheldCommand);
        Assert.Null(FlightRules.Shadow(new BatchProcessed(1, [alert with { AlertId = "a2" }], [command], [], 0), "cand", [], null).Alerts[0].WithheldCommand); // cited by none
        Assert.Empty(report.Commands);
        Assert.NotNull(FlightRules.Invalid("live"));
        Assert.NotNull(FlightRules.Invalid(" "));
        Assert.Null(FlightRules.Invalid("lower-volume"));
    }

    [Fact]
    public async Task A_lagging_flight_drops_and_counts_and_the_offer_never_waits()
    {
        var flight = new FlightRunner("slow", DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 6, 1, 0))), capacity: 1);
        var offered = 0;
        var accepted = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            offered++;
            if (flight.Offer([new IngestedEvent(Ev.Query(user: $"Q{i}", at: Ev.At(2026, 3, 3, 9)), 0)])) accepted++;
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"offers took {sw.Elapsed}");
        await flight.DisposeAsync();
        Assert.Equal(offered - accepted, flight.DroppedBatches);
        Assert.Equal(offered - accepted, flight.DroppedEvents);
        Assert.Equal(accepted, flight.Stats.Events);
    }
}
