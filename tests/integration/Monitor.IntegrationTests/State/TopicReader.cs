using System.Text;
using Confluent.Kafka;

namespace Monitor.IntegrationTests.State;

/// <summary>Reads whole topics of a broker from the beginning to their end, by explicit assignment (no consumer group).</summary>
internal static class TopicReader
{
    public static List<string> ReadAll(string bootstrap, string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var partitions = meta.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions.Select(p => p.PartitionId).ToList() ?? [];
        if (partitions.Count == 0) return [];
        using var c = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid(),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        c.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var atEnd = new HashSet<int>();
        var lines = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        while (atEnd.Count < partitions.Count && DateTime.UtcNow < deadline)
        {
            var r = c.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null) continue;
            if (r.IsPartitionEOF) atEnd.Add(r.Partition.Value);
            else lines.Add(Encoding.UTF8.GetString(r.Message.Value));
        }
        if (atEnd.Count < partitions.Count) throw new TimeoutException($"{topic}: not read to its end in {timeout}");
        return lines;
    }
}
