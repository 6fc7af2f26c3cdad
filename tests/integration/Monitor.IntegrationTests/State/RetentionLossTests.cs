using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// A monitor whose last checkpoint is older than what the brokers keep (it was stopped, or a cluster kept beginning
/// terms from an old checkpoint, while the topic's retention deleted the events after it): those events are gone, and
/// the monitor says which and how many when it starts reading again, instead of jumping to the oldest kept offset in
/// silence and judging as if they had never happened. The mock cluster of <c>./monitor kafka</c> keeps about 5 MB per partition.
/// </summary>
public sealed class RetentionLossTests : IDisposable
{
    private const string Topic = "credit.query-log";
    private readonly string _dir = Directory.CreateTempSubdirectory("retention").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Events_the_brokers_deleted_before_the_monitor_read_them_are_reported_with_their_offsets()
    {
        await using var kafka = CliProcess.Start("kafka");
        var address = await kafka.WaitForLine(l => l.Contains(':', StringComparison.Ordinal), TimeSpan.FromSeconds(60), stdout: true);
        Assert.True(address is not null, kafka.Transcript);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = address, LingerMs = 5 }).Build();
        void Produce(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                var at = Ev.At(2026, 3, 2, 9, 0).AddSeconds(i);
                var line = Contracts.EventJson.Serialize(Ev.Query(user: "QO0101", at: at));
                producer.Produce(new TopicPartition(Topic, new Partition(0)), new Message<string, byte[]> { Key = "k", Value = Encoding.UTF8.GetBytes(line) });
            }
            producer.Flush(TimeSpan.FromSeconds(60));
        }

        // A first run reads 100 events and stops (its last checkpoint at offset 100).
        Produce(0, 100);
        var first = Monitor(address!);
        Assert.True(await first.WaitUntil(() => first.Stderr.Any(l => l.StartsWith("caught up with", StringComparison.Ordinal)), TimeSpan.FromSeconds(120)), first.Transcript);
        Assert.Equal(0, await first.StopAsync());
        await first.DisposeAsync();

        // While it is away, about 10 MB more: the brokers delete the oldest, the 100 read and the next ones with them.
        Produce(100, 25_000);
        await using var second = Monitor(address!);
        var lost = await second.WaitForLine(l => l.StartsWith("events lost on credit.query-log partition 0: offsets 100 to ", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        Assert.True(lost is not null, second.Transcript);
        Assert.Contains("deleted by the brokers' retention", lost);
        Assert.True(await second.WaitUntil(() => second.Stderr.Any(l => l.StartsWith("caught up with", StringComparison.Ordinal)), TimeSpan.FromSeconds(180)), second.Transcript);
        Assert.Equal(0, await second.StopAsync());
    }

    private CliProcess Monitor(string address) =>
        CliProcess.StartIn(_dir, "run", "--kafka", address, "--group", "retention", "--store", Path.Combine(_dir, "monitor.db"),
            "--alerts-topic", "retention.alerts", "--commands-topic", "retention.commands", "--dead-letter-topic", "retention.dlq",
            "--api", Ports.Free().ToString(CultureInfo.InvariantCulture));
}
