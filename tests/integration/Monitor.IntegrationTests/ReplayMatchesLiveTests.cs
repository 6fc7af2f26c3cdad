using System.Text;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Simulator;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

[Collection(KafkaCollection.Name)]
public sealed class ReplayMatchesLiveTests(MockKafkaFixture kafka)
{
    [Fact]
    public async Task Replay_of_a_file_gives_the_alerts_and_commands_the_kafka_path_gave()
    {
        var sim = new BankSimulator(new SimulationOptions { Seed = 11, Days = 6 });
        var events = sim.Events().ToList();
        var clock = new FixedClock(Ev.At(2026, 11, 1, 0));

        // Live: through Kafka, consumed in a group, outputs read back from their topics.
        // Fetches large enough to hold a whole partition, so one partition is often read days ahead of the others
        // (as on a fast CI machine, where branch alerts then differed): the consumer must keep them in step.
        var options = kafka.Options("parity") with { ConsumerProperties = new Dictionary<string, string> { ["max.partition.fetch.bytes"] = "8000000" } };
        kafka.Produce(options.InputTopic, events.Select(MockKafkaFixture.Message));
        int liveAlertCount, liveCommandCount;
        await using (var graph = DetectionGraph.Start(DetectorContext.Default().Current, clock))
        {
            var ingest = new KafkaIngest(options, graph);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var run = Task.Run(() => ingest.RunAsync(cts.Token));
            while (ingest.Stats.Events < events.Count && !run.IsCompleted) await Task.Delay(50);
            await cts.CancelAsync();
            await run;
            liveAlertCount = (int)ingest.Stats.AlertRevisions;
            liveCommandCount = (int)ingest.Stats.Commands;
        }
        var live = kafka.ReadAll(options.AlertsTopic, liveAlertCount, TimeSpan.FromSeconds(60)).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        var liveCommands = kafka.ReadAll(options.CommandsTopic, liveCommandCount, TimeSpan.FromSeconds(30)).Select(r => OutputJson.ParseCommand(Encoding.UTF8.GetString(r.Message.Value))).ToList();

        // Replay: the same events from a file.
        var alertsOut = new StringWriter();
        var commandsOut = new StringWriter();
        await using (var graph = DetectionGraph.Start(DetectorContext.Default().Current, clock))
            await new ReplayRunner(graph).RunAsync(new StringReader(string.Join('\n', events.Select(EventJson.Serialize))), alertsOut, commandsOut, null);
        var replay = Lines(alertsOut).Select(OutputJson.ParseAlert).ToList();
        var replayCommands = Lines(commandsOut).Select(OutputJson.ParseCommand).ToList();

        Assert.NotEmpty(replay);
        Assert.Equal(Key(replay), Key(live));
        // User alerts see their user's events in the same order on both paths: identical to the letter.
        Assert.Equal(Final(replay).Where(a => a.EntityType == "user").Select(OutputJson.Serialize), Final(live).Where(a => a.EntityType == "user").Select(OutputJson.Serialize));
        Assert.Equal(replayCommands.Select(OutputJson.Serialize).Order(), liveCommands.Select(OutputJson.Serialize).Order());
    }

    private static IEnumerable<Alert> Final(IEnumerable<Alert> revisions) =>
        revisions.GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).OrderBy(a => a.AlertId, StringComparer.Ordinal);

    private static List<string> Key(IEnumerable<Alert> revisions) =>
        Final(revisions).Select(a => $"{a.AlertId} {a.Rule} {a.EntityType} {a.EntityId} {a.Severity} {a.Day}").ToList();

    private static string[] Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
