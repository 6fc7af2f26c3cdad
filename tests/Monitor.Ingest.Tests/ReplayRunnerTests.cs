using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

public sealed class ReplayRunnerTests
{
    [Fact]
    public async Task Bad_lines_go_to_dead_letters_with_line_number_and_reason_and_the_rest_is_judged()
    {
        var admin = Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10));
        var lines = new[]
        {
            EventJson.Serialize(Ev.Query(at: Ev.At(2026, 3, 3, 9))),
            EventJson.Serialize(Ev.Query(user: "QB", at: Ev.At(2026, 3, 3, 9, 1))),
            EventJson.Serialize(Ev.Query(user: "QC", at: Ev.At(2026, 3, 3, 9, 2))), // three users: the file has an event time
            "not json at all",
            """{"eventId":"x","type":"query","occurredAt":"2026-03-03T09:00:00","userId":"Q1","branchId":"B","purpose":"self_query"}""",
            EventJson.Serialize(admin),
            EventJson.Serialize(Ev.Query(at: Ev.At(2026, 3, 2, 9))), // a day behind: late
        };
        await using var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 6, 1, 0)));
        var alerts = new StringWriter();
        var commands = new StringWriter();
        var dead = new StringWriter();
        var runner = new ReplayRunner(graph, batchSize: 2);
        await runner.RunAsync(new StringReader(string.Join('\n', lines)), alerts, commands, dead);

        var deadLetters = Lines(dead).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([4L, 5L, 7L], deadLetters.Select(d => d.GetProperty("position").GetInt64()));
        Assert.StartsWith("not JSON", deadLetters[0].GetProperty("reason").GetString());
        Assert.StartsWith("invalid time", deadLetters[1].GetProperty("reason").GetString());
        Assert.StartsWith("late:", deadLetters[2].GetProperty("reason").GetString());
        Assert.Equal("not json at all", deadLetters[0].GetProperty("original").GetString());

        var alert = OutputJson.ParseAlert(Assert.Single(Lines(alerts)));
        Assert.Equal(RuleIds.AdminQuery, alert.Rule);
        Assert.Equal([admin.EventId], alert.Evidence);
        Assert.Equal("UA0101", OutputJson.ParseCommand(Assert.Single(Lines(commands))).UserId);
        Assert.Equal(7, runner.Stats.Events);
        Assert.Equal(3, runner.Stats.DeadLettered);
    }

    [Fact]
    public async Task Side_by_side_each_graph_publishes_exactly_what_its_own_replay_of_the_file_does()
    {
        var options = new Monitor.Simulator.SimulationOptions
        {
            Seed = 19, Days = 6, Branches = 2, SubBranchesPerBranch = 2, OperatorsPerSubBranch = 4,
            Incidents = new Dictionary<string, int> { ["volume_spike"] = 1, ["off_hours"] = 1, ["admin_query"] = 1 },
        };
        var text = string.Join('\n', new Monitor.Simulator.BankSimulator(options).Events().Select(EventJson.Serialize)) + "\nnot json\n";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var lower = Monitor.Detectors.Settings.SettingsLoader.Parse("""{"volume":{"userDaily":30},"suspension":{"minScore":70}}""");
        var settings = new[] { DetectorContext.Default().Current, DetectorSnapshot.Load(lower) };

        var alone = new List<string>[2];
        for (var i = 0; i < 2; i++)
        {
            await using var graph = DetectionGraph.Start(settings[i], new FixedClock(Ev.At(2026, 12, 1, 0)));
            var alerts = new StringWriter();
            var commands = new StringWriter();
            await new ReplayRunner(graph).RunAsync(new MemoryStream(bytes), alerts, commands, null);
            alone[i] = Sorted(alerts, commands);
        }

        await using var first = DetectionGraph.Start(settings[0], new FixedClock(Ev.At(2026, 12, 1, 0)));
        await using var second = DetectionGraph.Start(settings[1], new FixedClock(Ev.At(2026, 12, 1, 0)));
        var runners = new[] { new ReplayRunner(first), new ReplayRunner(second) };
        var published = new[] { new List<string>(), new List<string>() };
        for (var i = 0; i < 2; i++)
        {
            var mine = published[i];
            runners[i].BatchPublished += b => mine.AddRange(b.Alerts.Select(OutputJson.Serialize).Concat(b.Commands.Select(OutputJson.Serialize)));
        }
        await ReplayRunner.RunSideBySideAsync(new MemoryStream(bytes), runners);

        Assert.NotEqual(alone[0].Count, alone[1].Count); // the settings differ in what they find
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(alone[i], [.. published[i].Order(StringComparer.Ordinal)]);
            Assert.Equal(1, runners[i].Stats.DeadLettered);
        }
    }

    [Fact]
    public async Task Side_by_side_a_cancelled_replay_stops_both_runners()
    {
        var text = string.Join('\n', Enumerable.Range(0, 20_000).Select(i => EventJson.Serialize(Ev.Query(user: $"Q{i % 50}", at: Ev.At(2026, 3, 3, 9).AddSeconds(i)))));
        await using var first = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 12, 1, 0)));
        await using var second = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 12, 1, 0)));
        using var cts = new CancellationTokenSource();
        var runners = new[] { new ReplayRunner(first, batchSize: 64), new ReplayRunner(second, batchSize: 64) };
        runners[1].BatchPublished += _ => cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReplayRunner.RunSideBySideAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), runners, cts.Token));
        Assert.True(runners[0].Stats.Events < 20_000);
    }

    private static List<string> Sorted(StringWriter alerts, StringWriter commands) =>
        [.. (alerts + commands.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    private static string[] Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
