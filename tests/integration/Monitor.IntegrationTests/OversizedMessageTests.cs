using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// A 2 MB message on the query log, as found: <c>./monitor run</c> died dead-lettering it (the producer refuses
/// messages over 1 MB) and would have crash-looped on it. It must dead-letter the message's first 64 KiB with the
/// original size and SHA-256 in headers, and go on with the events behind it.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class OversizedMessageTests(MockKafkaFixture kafka)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_2_MB_message_is_dead_lettered_cut_to_64_KiB_with_its_size_and_hash_and_run_goes_on_with_the_events_behind_it()
    {
        var options = kafka.Options("oversized-run");
        var huge = Encoding.UTF8.GetBytes("{\"eventId\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        var admin = Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10));
        using (var p = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 4_000_000 }).Build())
        {
            // One key, one partition: the good messages sit behind the huge one.
            await p.ProduceAsync(options.InputTopic, new Message<string, byte[]> { Key = "UA0101", Value = huge });
            await p.ProduceAsync(options.InputTopic, new Message<string, byte[]> { Key = "UA0101", Value = Encoding.UTF8.GetBytes("{ not json") });
            await p.ProduceAsync(options.InputTopic, new Message<string, byte[]> { Key = "UA0101", Value = EventJson.SerializeToUtf8(admin) });
        }

        var dir = Directory.CreateTempSubdirectory("monitor-oversized-");
        await using var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"));

        var alerts = kafka.ReadAll(options.AlertsTopic, 1, Patience);
        var dead = kafka.ReadAll(options.DeadLetterTopic, 2, Patience);
        await Task.Delay(1000);
        Assert.False(monitor.Exited, monitor.Transcript);
        Assert.Equal(RuleIds.AdminQuery, OutputJson.ParseAlert(Encoding.UTF8.GetString(Assert.Single(alerts).Message.Value)).Rule);
        Assert.Equal(2, dead.Count);

        var cut = dead.Single(d => Header(d, DeadLetterMessage.Reason).StartsWith("oversized", StringComparison.Ordinal));
        Assert.Equal(64 * 1024, cut.Message.Value.Length);
        Assert.Equal(huge[..(64 * 1024)], cut.Message.Value);
        Assert.Equal(huge.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(cut, DeadLetterMessage.OriginalSize));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(huge)), Header(cut, DeadLetterMessage.OriginalSha256));
        Assert.Equal("UA0101", cut.Message.Key);

        var broken = dead.Single(d => d != cut);
        Assert.Equal("{ not json", Encoding.UTF8.GetString(broken.Message.Value));
        Assert.Null(broken.Message.Headers.FirstOrDefault(h => h.Key == DeadLetterMessage.OriginalSize));
        Assert.DoesNotContain(monitor.Stderr, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_letter_the_topic_refuses_is_counted_and_logged_once_and_run_goes_on()
    {
        // A 2 MB key: the dead letter (which keeps the key) is over the producer's limit whatever its value.
        var options = kafka.Options("dlq-refused-run");
        var admin = Ev.Query(user: "UA0102", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10));
        using (var p = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 4_000_000 }).Build())
        {
            await p.ProduceAsync(new TopicPartition(options.InputTopic, 0), new Message<string, byte[]> { Key = new string('k', 2 * 1024 * 1024), Value = Encoding.UTF8.GetBytes("{ not json") });
            await p.ProduceAsync(new TopicPartition(options.InputTopic, 0), new Message<string, byte[]> { Key = "UA0102", Value = EventJson.SerializeToUtf8(admin) });
        }

        var dir = Directory.CreateTempSubdirectory("monitor-dlq-refused-");
        await using var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"));

        Assert.Single(kafka.ReadAll(options.AlertsTopic, 1, Patience));
        Assert.True(await monitor.WaitStderrAsync("dead letters: ", Patience), monitor.Transcript);
        var metrics = Path.Combine(dir.FullName, "metrics.lp");
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !(File.Exists(metrics) && File.ReadAllText(metrics).Contains("dead_letter_failures=1", StringComparison.Ordinal))) await Task.Delay(500);
        Assert.False(monitor.Exited, monitor.Transcript);
        var line = Assert.Single(monitor.Stderr, l => l.StartsWith("dead letters: ", StringComparison.Ordinal));
        Assert.Contains($"{options.InputTopic}/0@0", line);
        Assert.Contains("offset stored", line);
        Assert.Contains("dead_letter_failures=1", File.ReadAllText(metrics));
        Assert.Empty(kafka.ReadAll(options.DeadLetterTopic, 1, TimeSpan.FromSeconds(10)));
    }

    private static string Header(ConsumeResult<string, byte[]> r, string name) => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(name));
}
