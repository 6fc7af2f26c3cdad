using Confluent.Kafka;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Ingest;

/// <summary>
/// Sends the commands that do not come out of a batch: an officer's reinstatement. Each is marked sent only once
/// the brokers have it; one left unconfirmed by a crash is dealt with at the next start (<see cref="UnconfirmedCommands"/>). Its client's errors (brokers unreachable) go to
/// <paramref name="log"/> as one summary line per 30 s, never straight to the console.
/// </summary>
public sealed class KafkaCommandPublisher(string bootstrapServers, string topic, AlertStore store, Action<string>? log = null) : IDisposable
{
    private readonly IProducer<string, byte[]> _producer = Build(bootstrapServers, new ErrorDigest("kafka (officers' commands)", TimeSpan.FromSeconds(30), TimeProvider.System, log ?? (_ => { })));

    private static IProducer<string, byte[]> Build(string servers, ErrorDigest errors) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers, EnableIdempotence = true })
            .SetErrorHandler((_, e) => errors.Report(KafkaErrorText.Short(e.Reason)))
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Error) errors.Report(KafkaErrorText.Short(m.Message)); })
            .Build();

    public async Task SendAsync(PermissionCommand command)
    {
        await _producer.ProduceAsync(topic, new Message<string, byte[]> { Key = command.UserId, Value = OutputJson.SerializeToUtf8(command) });
        await store.MarkSentAsync([command.CommandId]);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
