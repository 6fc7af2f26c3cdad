using System.Text.Json;
using Confluent.Kafka;
using Monitor.Contracts;

namespace Monitor.Ingest;

/// <summary>
/// Which of the commands a restarted monitor finds unconfirmed in its store are already on the commands topic.
/// A kill between the brokers' acknowledgement and the store's "sent" mark leaves a command unconfirmed although
/// it went out; sending it again would reach the access-control system twice. So before a restarted monitor
/// sends anything, it reads the topic (explicit assignment, no consumer group) from an hour before the oldest
/// such command was recorded (message timestamps; the hour covers clocks that disagree) up to where each
/// partition ends at that moment: what is found is marked sent, the rest is sent.
/// </summary>
public static class UnconfirmedCommands
{
    /// <summary>How far before a command's recording the search starts: the store's and the producer's clocks may differ.</summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromHours(1);

    /// <summary>
    /// The ids among <paramref name="ids"/> found on <paramref name="topic"/> in messages written since
    /// <paramref name="since"/> (less <see cref="ClockSlack"/>). Throws <see cref="KafkaException"/> while the brokers
    /// cannot be asked and <see cref="TimeoutException"/> when the topic is not read to its end in time.
    /// </summary>
    public static HashSet<string> FindOnTopic(ConsumerConfig connection, string topic, IReadOnlyCollection<string> ids, DateTimeOffset since, TimeSpan timeout)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0) return found;
        var config = new ConsumerConfig(new Dictionary<string, string>(connection))
        {
            GroupId = "monitor-unconfirmed-commands", // never joined: the partitions are assigned explicitly
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AllowAutoCreateTopics = false,
        };
        using var consumer = new ConsumerBuilder<string?, byte[]>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var partitions = Partitions(consumer, topic);
        if (partitions.Count == 0) return found; // the topic does not exist: nothing was ever sent
        var ends = partitions.ToDictionary(tp => tp.Partition.Value, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
        var starts = consumer.OffsetsForTimes(partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(since - ClockSlack))), TimeSpan.FromSeconds(10));
        var assign = new List<TopicPartitionOffset>();
        foreach (var s in starts)
        {
            // No message at or after that time is answered with the end (-1): read the whole partition rather than trust
            // it, as librdkafka's mock cluster does not look timestamps up. Commands are few; this stays cheap.
            var from = s.Offset.Value >= 0 ? s.Offset : Offset.Beginning;
            if (ends[s.Partition.Value] > 0 && (from == Offset.Beginning || from.Value < ends[s.Partition.Value])) assign.Add(new TopicPartitionOffset(s.TopicPartition, from));
        }
        var open = assign.Select(a => a.Partition.Value).ToHashSet();
        if (open.Count == 0) return found;
        consumer.Assign(assign);
        var deadline = DateTime.UtcNow + timeout;
        while (open.Count > 0 && found.Count < ids.Count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{topic} was not read to its end within {timeout.TotalSeconds:0} s");
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null) continue;
            var p = r.Partition.Value;
            if (!r.IsPartitionEOF && CommandId(r.Message.Value) is { } id && ids.Contains(id)) found.Add(id);
            if (r.IsPartitionEOF || r.Offset.Value + 1 >= ends[p]) open.Remove(p);
        }
        consumer.Close();
        return found;
    }

    private static List<TopicPartition> Partitions(IConsumer<string?, byte[]> consumer, string topic)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.FirstOrDefault(t => t.Topic == topic);
        if (meta is null || meta.Error.Code == ErrorCode.UnknownTopicOrPart) return [];
        if (meta.Error.IsError) throw new KafkaException(meta.Error);
        return [.. meta.Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
    }

    /// <summary>The commandId of a message on the commands topic; null for anything that is not a command.</summary>
    private static string? CommandId(byte[]? value)
    {
        if (value is null) return null;
        try
        {
            return OutputJson.ParseCommand(System.Text.Encoding.UTF8.GetString(value)).CommandId;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
