using System.Text;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

[Collection(KafkaCollection.Name)]
public sealed class KafkaEndToEndTests(MockKafkaFixture kafka)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Events_produced_to_kafka_come_back_as_alerts_commands_and_dead_letters()
    {
        var options = kafka.Options("e2e");
        var admin = Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10));
        var noAuth = Ev.Query(user: "Q2", at: Ev.At(2026, 3, 3, 10, 5)) with { AuthorizationId = null, AuthorizedAt = null };
        var ordinary = Ev.Query(user: "Q3", at: Ev.At(2026, 3, 3, 10, 6));
        var messages = new List<(string, byte[])>
        {
            MockKafkaFixture.Message(ordinary),
            MockKafkaFixture.Message(admin),
            ("Q9", Encoding.UTF8.GetBytes("{ this is not json")),
            MockKafkaFixture.Message(noAuth),
            MockKafkaFixture.Message(admin), // redelivered by the shipper
        };
        kafka.Produce(options.InputTopic, messages);

        await using var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 6, 1, 0)));
        var ingest = new KafkaIngest(options, graph);
        using var cts = new CancellationTokenSource(Patience);
        var run = Task.Run(() => ingest.RunAsync(cts.Token));
        while (ingest.Stats.Events < messages.Count && !run.IsCompleted) await Task.Delay(50);
        await cts.CancelAsync();
        await run;

        var alerts = kafka.ReadAll(options.AlertsTopic, 2, Patience).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        Assert.Equal([RuleIds.AdminQuery, RuleIds.NoAuthorization], alerts.Select(a => a.Rule).Order());
        Assert.All(alerts, a => Assert.Equal(a.AlertId, kafka.ReadAll(options.AlertsTopic, 2, Patience).Select(r => r.Message.Key).First(k => k == a.AlertId)));

        var command = OutputJson.ParseCommand(Encoding.UTF8.GetString(Assert.Single(kafka.ReadAll(options.CommandsTopic, 1, Patience)).Message.Value));
        Assert.Equal(("suspend", "UA0101"), (command.Action, command.UserId));

        var dead = Assert.Single(kafka.ReadAll(options.DeadLetterTopic, 1, Patience));
        Assert.Equal("{ this is not json", Encoding.UTF8.GetString(dead.Message.Value));
        Assert.StartsWith("malformed JSON", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("dlq.reason")));
        Assert.Equal(options.InputTopic, Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("dlq.source.topic")));
        Assert.NotNull(dead.Message.Headers.GetLastBytes("dlq.source.offset"));
        Assert.Equal(1, ingest.Stats.Duplicates);
    }
}
