using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Monitor.Contracts;

namespace Monitor.Ingest;

/// <summary>
/// The message sent to the dead-letter topic for one unreadable message: the original key and value with the
/// reason and the source in headers (docs/outputs.md). A value larger than <c>valueLimit</c> (a 2 MB message
/// would exceed the producer's own limit, and a dead letter that cannot be sent must not stop the monitor) goes
/// as its first <c>valueLimit</c> bytes, with the original size and the SHA-256 of the whole original value in
/// headers, so the sender can still be found and the message matched against its copy.
/// </summary>
public static class DeadLetterMessage
{
    public const string Reason = "dlq.reason";
    public const string SourceTopic = "dlq.source.topic";
    public const string SourcePartition = "dlq.source.partition";
    public const string SourceOffset = "dlq.source.offset";
    public const string OriginalSize = "dlq.original.size";
    public const string OriginalSha256 = "dlq.original.sha256";

    /// <summary>The default limit of a dead letter's value (a Kafka dead letter's, or the original a replay's keeps): the largest event the monitor reads.</summary>
    public const int DefaultValueLimit = EventJson.DefaultMaxBytes;

    public static Message<string, byte[]> Build(string topic, int partition, long offset, string? key, byte[]? value, string reason, int valueLimit = DefaultValueLimit)
    {
        value ??= [];
        var headers = new Headers
        {
            { Reason, Encoding.UTF8.GetBytes(reason) },
            { SourceTopic, Encoding.UTF8.GetBytes(topic) },
            { SourcePartition, Encoding.UTF8.GetBytes(partition.ToString(CultureInfo.InvariantCulture)) },
            { SourceOffset, Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)) },
        };
        if (value.Length > valueLimit)
        {
            headers.Add(OriginalSize, Encoding.UTF8.GetBytes(value.Length.ToString(CultureInfo.InvariantCulture)));
            headers.Add(OriginalSha256, Encoding.UTF8.GetBytes(Convert.ToHexStringLower(SHA256.HashData(value))));
            value = value[..valueLimit];
        }
        return new Message<string, byte[]> { Key = key ?? "", Value = value, Headers = headers };
    }
}
