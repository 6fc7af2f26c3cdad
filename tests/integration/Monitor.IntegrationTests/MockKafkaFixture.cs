using Confluent.Kafka;
using Monitor.Contracts;
using Monitor.Ingest;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// librdkafka's mock cluster for the integration tests: the real Kafka protocol on a local port. Each test uses
/// its own topics and consumer group.
/// </summary>
public sealed class MockKafkaFixture : IAsyncLifetime
{
    private MockCluster? _cluster;

    public string BootstrapServers => _cluster!.BootstrapServers;

    public Task InitializeAsync()
    {
        _cluster = MockCluster.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _cluster?.Dispose();
        return Task.CompletedTask;
    }

    public KafkaOptions Options(string name) => new()
    {
        BootstrapServers = BootstrapServers,
        InputTopic = $"{name}.query-log",
        AlertsTopic = $"{name}.alerts",
        CommandsTopic = $"{name}.permission-commands",
        DeadLetterTopic = $"{name}.query-log.dlq",
        GroupId = $"{name}.monitor",
        BatchWait = TimeSpan.FromMilliseconds(50),
    };

    public void Produce(string topic, IEnumerable<(string Key, byte[] Value)> messages)
    {
        using var p = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 2 }).Build();
        foreach (var (key, value) in messages) p.ProduceWhenRoom(topic, key, value);
        p.Flush(TimeSpan.FromSeconds(30));
    }

    public static (string, byte[]) Message(QueryLogEvent e) => (e.Key, EventJson.SerializeToUtf8(e));

    /// <summary>Reads a topic from the beginning until <paramref name="count"/> messages or the timeout.</summary>
    public List<ConsumeResult<string, byte[]>> ReadAll(string topic, int count, TimeSpan timeout) => ReadAll(BootstrapServers, topic, count, timeout);

    /// <summary>Reads a topic of the cluster at <paramref name="servers"/> from the beginning until <paramref name="count"/> messages or the timeout.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadAll(string servers, string topic, int count, TimeSpan timeout)
    {
        using var c = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = servers,
            GroupId = "reader-" + Guid.NewGuid(),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        c.Subscribe(topic);
        var result = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (result.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (c.Consume(200) is { } r && !r.IsPartitionEOF) result.Add(r);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
            }
        }
        c.Close();
        return result;
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<MockKafkaFixture>
{
    public const string Name = "kafka";
}
