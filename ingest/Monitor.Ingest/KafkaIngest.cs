using System.Text;
using Confluent.Kafka;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Messages;

namespace Monitor.Ingest;

/// <summary>
/// The live path: consumes <c>credit.query-log</c> in a consumer group, sends bad messages to the dead-letter
/// topic with the original bytes and the reason, runs the rest through the detection graph, publishes alerts
/// and commands, and only then stores the batch's offsets (at-least-once; redeliveries are recognised by
/// eventId in the graph). Partitions are kept within <see cref="KafkaOptions.MaxPartitionSkew"/> of each other in
/// event time (<see cref="PartitionAligner{T}"/>). Fatal Kafka errors stop the loop; shutdown closes the consumer cleanly.
/// </summary>
public sealed class KafkaIngest(KafkaOptions options, DetectionGraph graph, Action<string>? log = null, TimeProvider? clock = null)
{
    public PipelineStats Stats { get; } = new();

    /// <summary>Where outputs are recorded before they are published (the alert store); null publishes every command.</summary>
    public IOutputLedger? Ledger { get; init; }

    public event Action<BatchReport>? BatchPublished;

    public async Task RunAsync(CancellationToken ct)
    {
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            AllowAutoCreateTopics = true,
            MessageMaxBytes = Math.Max(options.MaxMessageBytes * 4, 1_000_000),
            EnablePartitionEof = true,
        };
        foreach (var (key, value) in options.ConsumerProperties) consumerConfig.Set(key, value);
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
        };
        Exception? fatal = null;
        var aligner = new PartitionAligner<Consumed>(options.MaxPartitionSkew, options.PartitionIdleAfter, clock ?? TimeProvider.System);
        using var producer = new ProducerBuilder<string, byte[]>(producerConfig)
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Error) log?.Invoke($"kafka producer: {m.Message}"); })
            .Build();
        using var consumer = new ConsumerBuilder<string?, byte[]>(consumerConfig)
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal) fatal = new KafkaException(e);
                else log?.Invoke($"kafka: {e.Reason}");
            })
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Error) log?.Invoke($"kafka consumer: {m.Message}"); })
            .SetPartitionsAssignedHandler((_, parts) => aligner.Assign(parts.Select(p => p.Partition.Value)))
            .SetPartitionsRevokedHandler((c, parts) => Resume(c, aligner.Revoke(parts.Select(p => p.Partition.Value))))
            .SetPartitionsLostHandler((c, parts) => aligner.Revoke(parts.Select(p => p.Partition.Value)))
            .Build();
        consumer.Subscribe(options.InputTopic);
        try
        {
            var batch = new List<Consumed>(options.BatchSize);
            var resume = new List<int>();
            var nextLag = DateTime.UtcNow;
            while (!ct.IsCancellationRequested && fatal is null)
            {
                batch.Clear();
                var deadline = DateTime.UtcNow + options.BatchWait;
                while (batch.Count < options.BatchSize)
                {
                    var left = deadline - DateTime.UtcNow;
                    ConsumeResult<string?, byte[]>? r;
                    try
                    {
                        r = consumer.Consume(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                    }
                    catch (ConsumeException e) when (!e.Error.IsFatal)
                    {
                        // E.g. the topic does not exist yet; librdkafka retries by itself.
                        log?.Invoke($"kafka: {e.Error.Reason}");
                        break;
                    }
                    if (r is null) break;
                    if (r.IsPartitionEOF) aligner.AtEnd(r.Partition.Value);
                    else
                    {
                        var item = Parse(r);
                        if (aligner.Admit(r.Partition.Value, item.Event?.OccurredAt, item, out var pause)) batch.Add(item);
                        else if (pause) consumer.Pause([r.TopicPartition]);
                    }
                    resume.Clear();
                    foreach (var (_, held) in aligner.Release(resume)) batch.Add(held);
                    Resume(consumer, resume);
                }
                if (DateTime.UtcNow >= nextLag) nextLag = CheckLag(consumer);
                if (batch.Count == 0) continue;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var latest = await ProcessAsync(batch, producer, ct);
                Stats.RecordBatch(System.Diagnostics.Stopwatch.GetElapsedTime(started), latest);
                foreach (var item in batch)
                {
                    try
                    {
                        consumer.StoreOffset(item.Result);
                    }
                    catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
                    {
                        // The partition was revoked meanwhile; its new owner re-reads it and recognises what we did.
                    }
                }
            }
        }
        catch (ConsumeException e) when (e.Error.IsFatal)
        {
            fatal = e;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            producer.Flush(TimeSpan.FromSeconds(10));
            consumer.Close();
        }
        if (fatal is not null) throw new InvalidOperationException("fatal Kafka error, consumer stopped: " + fatal.Message, fatal);
    }

    private Consumed Parse(ConsumeResult<string?, byte[]> r) =>
        EventJson.TryParse(r.Message.Value ?? [], out var evt, out var reason, options.MaxMessageBytes)
            ? new Consumed(r, evt, null)
            : new Consumed(r, null, reason);

    private void Resume(IConsumer<string?, byte[]> consumer, List<int> partitions)
    {
        if (partitions.Count > 0) consumer.Resume(partitions.Select(p => new TopicPartition(options.InputTopic, p)));
    }

    /// <summary>Records how far each assigned partition is behind its end (from librdkafka's cached watermarks); the next check's time.</summary>
    private DateTime CheckLag(IConsumer<string?, byte[]> consumer)
    {
        foreach (var tp in consumer.Assignment)
        {
            try
            {
                var high = consumer.GetWatermarkOffsets(tp).High;
                var position = consumer.Position(tp);
                if (high.Value >= 0 && position.Value >= 0) Stats.RecordLag(tp.Partition.Value, Math.Max(0, high.Value - position.Value));
            }
            catch (KafkaException)
            {
                // A partition being revoked meanwhile: a reading is skipped, consumption goes on.
            }
        }
        return DateTime.UtcNow.AddSeconds(1);
    }

    private async Task<DateTimeOffset?> ProcessAsync(List<Consumed> batch, IProducer<string, byte[]> producer, CancellationToken ct)
    {
        var events = new List<IngestedEvent>(batch.Count);
        var sources = new List<ConsumeResult<string?, byte[]>>(batch.Count);
        var dead = new List<DeadLetter>();
        DateTimeOffset? latest = null;
        foreach (var (r, evt, reason) in batch)
        {
            if (evt is not null)
            {
                events.Add(new IngestedEvent(evt, r.Partition.Value));
                sources.Add(r);
                if (latest is null || evt.OccurredAt > latest) latest = evt.OccurredAt;
            }
            else
            {
                dead.Add(DeadLetterTo(producer, r, reason!));
            }
        }
        var result = await graph.ProcessAsync(events, ct);
        var commands = Ledger is null ? result.Commands : await Ledger.RecordAsync(result, ct);
        foreach (var rej in result.Rejected) dead.Add(DeadLetterTo(producer, sources[rej.Index], rej.Reason));
        foreach (var a in result.Alerts)
            producer.Produce(options.AlertsTopic, new Message<string, byte[]> { Key = a.AlertId, Value = OutputJson.SerializeToUtf8(a) }, Fail);
        foreach (var c in commands)
            producer.Produce(options.CommandsTopic, new Message<string, byte[]> { Key = c.UserId, Value = OutputJson.SerializeToUtf8(c) }, Fail);
        // Offsets are stored only after everything derived from the batch is acknowledged by the brokers.
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0 && !ct.IsCancellationRequested) log?.Invoke("kafka: waiting for the brokers to acknowledge outputs");
        if (_deliveryError is { } err) throw new InvalidOperationException("publishing outputs failed: " + err);
        if (Ledger is not null) await Ledger.SentAsync(commands, ct);
        Stats.Record(batch.Count, dead.Count, result.Duplicates, result.Alerts.Count, commands.Count);
        BatchPublished?.Invoke(new BatchReport(result.Alerts, commands, dead, latest) { Events = [.. events.Select(e => e.Event)] });
        return latest;
    }

    private string? _deliveryError;

    private void Fail(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError) _deliveryError ??= $"{report.Topic}: {report.Error.Reason}";
    }

    private DeadLetter DeadLetterTo(IProducer<string, byte[]> producer, ConsumeResult<string?, byte[]> r, string reason)
    {
        var headers = new Headers
        {
            { "dlq.reason", Encoding.UTF8.GetBytes(reason) },
            { "dlq.source.topic", Encoding.UTF8.GetBytes(r.Topic) },
            { "dlq.source.partition", Encoding.UTF8.GetBytes(r.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            { "dlq.source.offset", Encoding.UTF8.GetBytes(r.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        };
        producer.Produce(options.DeadLetterTopic, new Message<string, byte[]> { Key = r.Message.Key ?? "", Value = r.Message.Value ?? [], Headers = headers }, Fail);
        var original = r.Message.Value is { } v ? Encoding.UTF8.GetString(v, 0, Math.Min(v.Length, 2048)) : "";
        return new DeadLetter { Reason = reason, Source = $"{r.Topic}/{r.Partition.Value}", Position = r.Offset.Value, Original = original };
    }
}

/// <summary>A consumed message with its parsed event, or the reason it could not be read.</summary>
internal sealed record Consumed(ConsumeResult<string?, byte[]> Result, QueryLogEvent? Event, string? Reason);
