using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Monitor.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// Issue 14's crash test, as an operator would meet it: the monitor consumes 70 simulated days (with the
/// long-memory incidents) from a Kafka that runs in a process of its own (<c>./monitor kafka</c>), and is killed
/// with SIGKILL at random moments and once stopped with SIGTERM, restarted each time. What it published (each
/// alert's final revision, every command) equals what an uninterrupted run published, and it dead-lettered
/// nothing the uninterrupted run did not.
/// <para>
/// The traffic goes to one partition, in seven parts (the mock cluster keeps about 5 MB per partition, so a part
/// is produced once both monitors have read the one before). One partition, because two uninterrupted runs over
/// four partitions may already differ: events of different partitions within the alignment window (an hour) reach
/// a branch in the order the fetches happened to deliver them, and POST_LOAN_ABUSE's count depends on whether an
/// authorisation came before a post-loan query (docs/architecture.md). One total order makes the comparison about
/// restarts only.
/// </para>
/// </summary>
public sealed partial class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const string Incidents = "dormant_account=1,password_age=1,disabled_account_query=1,role_conflict=1,volume_spike=2,branch_volume_spike=1,volume_creep=1,post_loan_abuse=1,repeat_ratio=1,admin_query=1";
    private const string Topic = "credit.query-log";
    private static readonly TimeSpan CatchUp = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("crash").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Killed_at_random_moments_the_monitor_publishes_what_an_uninterrupted_run_publishes()
    {
        var events = Path.Combine(_dir, "events.jsonl");
        var (code, err) = await Cli.Run("simulate", "--output", events, "--labels", Path.Combine(_dir, "labels.jsonl"), "--days", "70", "--seed", "5", "--operators", "2", "--incidents", Incidents);
        Assert.True(code == 0, err);
        var lines = await File.ReadAllLinesAsync(events);
        // Checkpoints every second, so that kills fall between, during and right after them.
        await File.WriteAllTextAsync(Path.Combine(_dir, "settings.json"), """{ "state": { "checkpointSeconds": 1 } }""");

        await using var kafka = CliProcess.Start("kafka");
        var address = await kafka.WaitForLine(l => l.Contains(':', StringComparison.Ordinal), TimeSpan.FromSeconds(60), stdout: true);
        Assert.True(address is not null, kafka.Transcript);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = address, LingerMs = 5 }).Build();

        var random = new Random(2026);
        var signals = new[] { "KILL", "KILL", "TERM", "KILL", "KILL", "KILL", "KILL" };
        var straight = Monitor(address!, "straight");
        var crashed = Monitor(address!, "crashed");
        var restored = 0;
        var produced = 0;
        try
        {
            for (var part = 0; part < signals.Length; part++)
            {
                var end = (int)((long)lines.Length * (part + 1) / signals.Length);
                foreach (var line in lines[produced..end])
                    producer.Produce(new TopicPartition(Topic, new Partition(0)), new Message<string, byte[]> { Key = "k", Value = Encoding.UTF8.GetBytes(line) });
                producer.Flush(TimeSpan.FromSeconds(30));
                produced = end;

                // The crashed monitor is interrupted at a random moment of reading this part, then started again.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 2500)));
                await crashed.Signal(signals[part]);
                var exit = await crashed.WaitForExit(TimeSpan.FromSeconds(60));
                output.WriteLine($"part {part}: {signals[part]} → exit {exit}; {crashed.Stderr.LastOrDefault()}");
                if (signals[part] == "TERM") Assert.Equal(0, exit);
                output.WriteLine(crashed.Transcript); // read when the test fails
                await crashed.DisposeAsync();
                crashed = Monitor(address!, "crashed");
                Assert.True(await crashed.WaitUntil(() => crashed.Stderr.Any(l => l.Contains("caught up with", StringComparison.Ordinal)), CatchUp), crashed.Transcript);
                Assert.True(await straight.WaitUntil(() => CaughtUp.ReadUpTo(straight) >= produced, CatchUp), straight.Transcript);
                if (crashed.Stderr.Any(l => l.Contains("detector state restored from checkpoint", StringComparison.Ordinal))) restored++;
            }
            Assert.Equal(0, await straight.StopAsync());
            Assert.Equal(0, await crashed.StopAsync());
            output.WriteLine(crashed.Transcript); // read when the test fails
        }
        finally
        {
            await straight.DisposeAsync();
            await crashed.DisposeAsync();
        }
        Assert.True(restored >= signals.Length - 1, $"only {restored} restarts continued from a checkpoint"); // the first kill may come before the first checkpoint

        var expected = RunOutcome.FromTopics(address!, "straight");
        Assert.Contains(expected.Alerts.Values, a => a.Rule == "PASSWORD_AGE");
        Assert.Contains(expected.Alerts.Values, a => a.Rule == "DORMANT_ACCOUNT");
        Assert.Contains(expected.Alerts.Values, a => a.Rule == "ROLE_CONFLICT");
        Assert.NotEmpty(expected.Commands);
        // Every alert's id, rule, final revision, count and severity, and every command, match exactly: days close
        // and the models retrain at the same event however a restart cut the stream into batches.
        var differences = RunOutcome.FromTopics(address!, "crashed").Differences(expected);
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join("\n", differences.Take(30)));
        var extraDead = DeadLetters(address!, "crashed").Except(DeadLetters(address!, "straight")).ToList();
        Assert.True(extraDead.Count == 0, "dead letters the uninterrupted run did not have:\n" + string.Join("\n", extraDead.Take(10)));
    }

    private CliProcess Monitor(string address, string name) =>
        CliProcess.StartIn(_dir, "run", "--kafka", address, "--group", name, "--store", Path.Combine(_dir, name + ".db"),
            "--alerts-topic", name + ".alerts", "--commands-topic", name + ".commands", "--dead-letter-topic", name + ".dlq",
            "--training", "each-day", "--settings", Path.Combine(_dir, "settings.json"), "--models", Path.Combine(_dir, name + "-models"),
            "--metrics-file", Path.Combine(_dir, name + ".lp"), "--api", Ports.Free().ToString(CultureInfo.InvariantCulture));

    /// <summary>The dead letters' originals with their reasons (a redelivered dead letter is the same one again).</summary>
    private static HashSet<string> DeadLetters(string address, string name) =>
        [.. TopicReader.ReadAll(address, name + ".dlq", TimeSpan.FromSeconds(60))];
}
