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

    /// <summary>
    /// How long a batch waits for its first event. After that a batch takes what has arrived and goes: no event
    /// waits for later ones. Under load batches grow by themselves (events arrive while the previous batch is judged).
    /// </summary>
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest a fetch waits at the broker for new events (librdkafka's <c>fetch.wait.max.ms</c>, default 500).
    /// A broker answers as soon as it has data, but librdkafka's mock cluster waits the whole time: with 500 ms an
    /// event waited up to half a second before the monitor saw it.
    /// </summary>
    public int FetchWaitMaxMs { get; init; } = 10;
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
