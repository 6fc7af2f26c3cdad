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

    private static string[] Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
