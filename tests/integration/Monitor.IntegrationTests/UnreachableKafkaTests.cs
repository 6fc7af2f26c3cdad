using System.Net;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor run</c> pointed at brokers that do not answer, as found: 1,184 log lines in 22 s while
/// <c>/ready</c> said 200. It must log one summary line per period and answer 503 naming Kafka until the brokers
/// answer; against a working cluster it becomes ready.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class UnreachableKafkaTests(MockKafkaFixture kafka)
{
    [Fact]
    public async Task Run_against_a_closed_port_logs_a_few_lines_in_20_s_and_answers_503_naming_kafka()
    {
        var closed = Ports.Free(); // nothing listens there once the probe's listener is gone
        var dir = Directory.CreateTempSubdirectory("monitor-nokafka-");
        await using var monitor = LiveMonitor.Start($"127.0.0.1:{closed}", dir, "--store", Path.Combine(dir.FullName, "monitor.db"));
        var answers = new List<(HttpStatusCode Status, string Body)>();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (await monitor.ReadyAsync() is { Status: not 0 } answer) answers.Add(answer);
            await Task.Delay(500);
        }

        Assert.False(monitor.Exited, monitor.Transcript);
        Assert.NotEmpty(answers);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Contains(answers, a => a.Body.Contains($"kafka: 127.0.0.1:{closed} unreachable (Connection refused)", StringComparison.Ordinal));
        // Start-up says where metrics, the API and the consumer are (4-5 lines); Kafka adds one line per client and 30 s.
        Assert.True(monitor.Stderr.Count <= 10, monitor.Transcript);
        Assert.Contains(monitor.Stderr, l => l.StartsWith($"kafka: 127.0.0.1:{closed} unreachable (Connection refused)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_started_before_its_brokers_answer_says_503_until_they_do_then_200()
    {
        var port = Ports.Free();
        var options = kafka.Options("late-brokers-run");
        var dir = Directory.CreateTempSubdirectory("monitor-latekafka-");
        await using var monitor = LiveMonitor.Start($"127.0.0.1:{port}", dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"));
        var (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60), "unreachable");
        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{status} {body}\n{monitor.Transcript}");

        using var brokers = TcpForwarder.Start(port, kafka.BootstrapServers); // the brokers come up at that address
        (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.True(status == HttpStatusCode.OK, $"{status} {body}\n{monitor.Transcript}");
        Assert.True(await monitor.WaitStderrAsync($"kafka: connected to 127.0.0.1:{port} after", TimeSpan.FromSeconds(5)), monitor.Transcript);
    }

    [Fact]
    public async Task Run_against_a_working_cluster_becomes_ready()
    {
        var options = kafka.Options("ready-run");
        var dir = Directory.CreateTempSubdirectory("monitor-ready-");
        await using var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"));
        var (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.True(status == HttpStatusCode.OK, $"{status} {body}\n{monitor.Transcript}");
        Assert.Contains("\"ready\":true", body);
        Assert.Contains("\"reasons\":[]", body);
    }
}
