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
}
