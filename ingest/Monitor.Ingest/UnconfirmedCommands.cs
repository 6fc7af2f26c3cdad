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
        // Commands are few: a whole partition read where the time is not found (the mock cluster) stays cheap.
        var connectionAs = new ConsumerConfig(new Dictionary<string, string>(connection)) { GroupId = "monitor-unconfirmed-commands" };
        TopicSnapshot.Read(connectionAs, topic, since - ClockSlack, timeout, value =>
        {
            if (CommandId(value) is { } id && ids.Contains(id)) found.Add(id);
            return found.Count < ids.Count;
        });
        return found;
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
