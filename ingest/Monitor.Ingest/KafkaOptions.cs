namespace Monitor.Ingest;

/// <summary>Where the monitor reads and writes; topic names are settings, the defaults are the brief's.</summary>
public sealed record KafkaOptions
{
    public required string BootstrapServers { get; init; }
    public string InputTopic { get; init; } = "credit.query-log";
    public string AlertsTopic { get; init; } = "credit.alerts";
    public string CommandsTopic { get; init; } = "credit.permission-commands";
    public string DeadLetterTopic { get; init; } = "credit.query-log.dlq";
    public string GroupId { get; init; } = "credit-monitor";
    public int BatchSize { get; init; } = 4096;
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMilliseconds(100);
    public int MaxMessageBytes { get; init; } = Contracts.EventJson.DefaultMaxBytes;

    /// <summary>A dead letter's value is cut to this many bytes, with the original size and hash in headers (<see cref="DeadLetterMessage"/>).</summary>
    public int DeadLetterValueLimit { get; init; } = DeadLetterMessage.DefaultValueLimit;

    /// <summary>How far in event time a partition may run ahead of the slowest one before it is paused.</summary>
    public TimeSpan MaxPartitionSkew { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Further librdkafka consumer properties (e.g. <c>max.partition.fetch.bytes</c>), applied last.</summary>
    public IReadOnlyDictionary<string, string> ConsumerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>A partition silent this long (wall clock) no longer holds the others back.</summary>
    public TimeSpan PartitionIdleAfter { get; init; } = TimeSpan.FromSeconds(30);
}
