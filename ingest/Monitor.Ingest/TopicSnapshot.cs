using Confluent.Kafka;

namespace Monitor.Ingest;

/// <summary>
/// Reads a topic as it stands: every partition assigned explicitly (no consumer group is joined and no offset is
/// committed, so nobody's position moves), from the beginning or from a time, up to where each partition ends at
/// the moment of the call. What is produced meanwhile is not waited for. Used where the monitor looks back at what
/// it published: the commands a restart finds unconfirmed, and the alerts a flight is compared by.
/// </summary>
public static class TopicSnapshot
{
    /// <summary>
    /// Hands each message's value to <paramref name="take"/> (false from it stops the reading), from
    /// <paramref name="since"/> (message timestamps; null: every message kept). Returns false when the topic does not
    /// exist. Throws <see cref="KafkaException"/> while the brokers cannot be asked and <see cref="TimeoutException"/>
    /// when the topic is not read to its end within <paramref name="timeout"/>.
    /// </summary>
    public static bool Read(ConsumerConfig connection, string topic, DateTimeOffset? since, TimeSpan timeout, Func<byte[]?, bool> take)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(connection))
        {
            GroupId = connection.GroupId ?? "monitor-topic-snapshot", // never joined: the partitions are assigned explicitly
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AllowAutoCreateTopics = false,
        };
        using var consumer = new ConsumerBuilder<string?, byte[]>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var partitions = Partitions(consumer, topic);
        if (partitions is null) return false;
        var ends = partitions.ToDictionary(tp => tp.Partition.Value, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
        var starts = since is { } t
            ? consumer.OffsetsForTimes(partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(t))), TimeSpan.FromSeconds(10))
            : [.. partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning))];
        var assign = new List<TopicPartitionOffset>();
        foreach (var s in starts)
        {
            // No message at or after that time is answered with the end (-1): read the whole partition rather than trust
            // it, as librdkafka's mock cluster does not look timestamps up.
            var from = s.Offset.Value >= 0 ? s.Offset : Offset.Beginning;
            if (ends[s.Partition.Value] > 0 && (from == Offset.Beginning || from.Value < ends[s.Partition.Value])) assign.Add(new TopicPartitionOffset(s.TopicPartition, from));
        }
        var open = assign.Select(a => a.Partition.Value).ToHashSet();
        if (open.Count == 0) return true;
        consumer.Assign(assign);
        var deadline = DateTime.UtcNow + timeout;
        while (open.Count > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{topic} was not read to its end within {timeout.TotalSeconds:0} s");
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null) continue;
            var p = r.Partition.Value;
            if (!r.IsPartitionEOF && !take(r.Message.Value)) break;
            if (r.IsPartitionEOF || r.Offset.Value + 1 >= ends[p]) open.Remove(p);
        }
        consumer.Close();
        return true;
    }

    /// <summary>The topic's partitions; null when there is no such topic.</summary>
    private static List<TopicPartition>? Partitions(IConsumer<string?, byte[]> consumer, string topic)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.FirstOrDefault(t => t.Topic == topic);
        if (meta is null || meta.Error.Code == ErrorCode.UnknownTopicOrPart) return null;
        if (meta.Error.IsError) throw new KafkaException(meta.Error);
        return [.. meta.Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
    }
}
