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
/// The traffic goes to one partition: two uninterrupted runs over four partitions may already differ, because
/// events of different partitions within the alignment window (an hour) reach a branch in the order the fetches
/// happened to deliver them, and POST_LOAN_ABUSE's count depends on whether an authorisation came before a
/// post-loan query (docs/architecture.md). One total order makes the comparison about restarts only.
/// </para>
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const string Incidents = "dormant_account=1,password_age=1,disabled_account_query=1,role_conflict=1,volume_spike=2,branch_volume_spike=1,volume_creep=1,post_loan_abuse=1,repeat_ratio=1,admin_query=1";
    private static readonly TimeSpan CatchUp = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("crash").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Killed_at_random_moments_the_monitor_publishes_what_an_uninterrupted_run_publishes()
    {
        await using var kafka = CliProcess.Start("kafka");
        var address = await kafka.WaitForLine(l => l.Contains(':', StringComparison.Ordinal), TimeSpan.FromSeconds(60), stdout: true);
        Assert.True(address is not null, kafka.Transcript);
        var (code, err) = await Cli.Run("simulate", "--kafka", address!, "--labels", Path.Combine(_dir, "labels.jsonl"), "--days", "70", "--seed", "5", "--operators", "2", "--partition", "0", "--incidents", Incidents);
        Assert.True(code == 0, err);
        // Checkpoints every second, so that kills fall between, during and right after them.
        await File.WriteAllTextAsync(Path.Combine(_dir, "settings.json"), """{ "state": { "checkpointSeconds": 1 } }""");

        await using (var straight = Monitor(address!, "straight"))
        {
            Assert.True(await straight.WaitUntil(() => CaughtUp(straight), CatchUp), straight.Transcript);
            Assert.Equal(0, await straight.StopAsync());
        }
        var expected = Outcome(address!, "straight");
        Assert.Contains(expected.Alerts.Values, a => a.Rule == "PASSWORD_AGE");
        Assert.Contains(expected.Alerts.Values, a => a.Rule == "DORMANT_ACCOUNT");
        Assert.Contains(expected.Alerts.Values, a => a.Rule == "ROLE_CONFLICT");
        Assert.NotEmpty(expected.Commands);

        var random = new Random(2026);
        var interruptions = new[] { "KILL", "KILL", "TERM", "KILL", "KILL", "KILL" };
        var restored = 0;
        foreach (var signal in interruptions)
        {
            await using var run = Monitor(address!, "crashed");
            Assert.True(await run.WaitUntil(() => run.Stderr.Any(l => l.StartsWith("consuming ", StringComparison.Ordinal)), TimeSpan.FromSeconds(60)), run.Transcript);
            if (run.Stderr.Any(l => l.Contains("detector state restored from checkpoint", StringComparison.Ordinal))) restored++;
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 5000)));
            await run.Signal(signal);
            var exit = await run.WaitForExit(TimeSpan.FromSeconds(60));
            output.WriteLine($"{signal}: exit {exit}; {run.Stderr.LastOrDefault()}");
            if (signal == "TERM") Assert.Equal(0, exit);
        }
        await using (var last = Monitor(address!, "crashed"))
        {
            Assert.True(await last.WaitUntil(() => CaughtUp(last), CatchUp), last.Transcript);
            Assert.Equal(0, await last.StopAsync());
        }
        Assert.True(restored >= 3, $"only {restored} restarts continued from a checkpoint");

        var crashed = Outcome(address!, "crashed");
        var differences = crashed.Differences(expected);
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join("\n", differences.Take(30)));
        var expectedDead = DeadLetters(address!, "straight");
        var extraDead = DeadLetters(address!, "crashed").Except(expectedDead).ToList();
        Assert.True(extraDead.Count == 0, "dead letters the uninterrupted run did not have:\n" + string.Join("\n", extraDead.Take(10)));
    }

    private CliProcess Monitor(string address, string name) =>
        CliProcess.StartIn(_dir, "run", "--kafka", address, "--group", name, "--store", Path.Combine(_dir, name + ".db"),
            "--alerts-topic", name + ".alerts", "--commands-topic", name + ".commands", "--dead-letter-topic", name + ".dlq",
            "--training", "each-day", "--settings", Path.Combine(_dir, "settings.json"), "--models", Path.Combine(_dir, name + "-models"), "--metrics-file", Path.Combine(_dir, name + ".lp"),
            "--api", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static bool CaughtUp(CliProcess run) => run.Stderr.Any(l => l.Contains("caught up with", StringComparison.Ordinal));

    private static RunOutcome Outcome(string address, string name) =>
        RunOutcome.From(TopicReader.ReadAll(address, name + ".alerts", TimeSpan.FromSeconds(60)), TopicReader.ReadAll(address, name + ".commands", TimeSpan.FromSeconds(60)));

    /// <summary>The dead letters' originals with their reasons (a redelivered dead letter is the same one again).</summary>
    private static HashSet<string> DeadLetters(string address, string name) =>
        [.. TopicReader.ReadAll(address, name + ".dlq", TimeSpan.FromSeconds(60))];
}
