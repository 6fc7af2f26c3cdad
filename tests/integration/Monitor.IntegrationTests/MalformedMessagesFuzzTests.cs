using System.Text;
using FsCheck.Xunit;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Simulator;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// Fuzzing (issue 13): generated malformed messages of every kind (<see cref="MalformedArbitraries"/>) mixed into
/// a labelled simulated bank's traffic, through the replay path (the file reader the CLI uses) and through the
/// Kafka path (a consumer group on the mock cluster). Properties: every malformed message is dead-lettered with
/// a documented reason, nothing crashes or hangs, and the alerts and commands on the good events are those of a
/// run without the bad ones. Fixed seeds and a bounded number of cases keep it to a minute or two.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class MalformedMessagesFuzzTests(MockKafkaFixture kafka)
{
    /// <summary>How a dead letter's reason may start (docs/contract.md lists them all).</summary>
    private static readonly string[] Reasons =
    [
        "oversized:", "not JSON:", "not an event:", "malformed JSON:", "wrong type:", "unknown field:", "duplicate field:", "missing field:", "unknown value:",
        "invalid time:", "invalid value:", "invalid UTF-8:", "implausible time:",
    ];

    private static readonly DateTimeOffset Clock = Ev.At(2026, 11, 1, 0);

    private static readonly Lazy<List<QueryLogEvent>> Good = new(() =>
    {
        var events = new BankSimulator(new SimulationOptions { Seed = 17, Days = 3 }).Events().ToList();
        MalformedArbitraries.StreamEnd = events.Max(e => e.OccurredAt);
        return events;
    });

    private static readonly Lazy<Outcome> CleanReplay = new(() => Task.Run(() => Replay(Good.Value.Select(EventJson.SerializeToUtf8).ToList())).GetAwaiter().GetResult());

    [Property(MaxTest = 100, Replay = "(20261130,1113)", Arbitrary = [typeof(MalformedArbitraries)])]
    public void Replay_dead_letters_every_malformed_line_with_a_reason_and_judges_the_good_ones_as_without_them(MalformedMix mix)
    {
        var clean = CleanReplay.Value;
        var (lines, bad) = Mixed(Good.Value.Select(EventJson.SerializeToUtf8).ToList(), mix);
        var dirty = Task.Run(() => Replay(lines)).WaitAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
        Assert.True(bad.Order().SequenceEqual(dirty.DeadLetters.Select(d => (int)d.Position - 1).Order()),
            $"malformed at {string.Join(",", bad.Order())}; dead letters at {string.Join(", ", dirty.DeadLetters.Select(d => $"{d.Position - 1} {d.Reason}"))}");
        Assert.All(dirty.DeadLetters, d => Assert.True(Reasons.Any(r => d.Reason.StartsWith(r, StringComparison.Ordinal)), $"undocumented reason: {d.Reason}"));
        Assert.Equal(clean.Alerts, dirty.Alerts);
        Assert.Equal(clean.Commands, dirty.Commands);
    }

    [Property(MaxTest = 8, Replay = "(20261130,2221)", Arbitrary = [typeof(MalformedArbitraries)])]
    public void Kafka_path_dead_letters_every_malformed_message_with_a_reason_and_judges_the_good_ones_as_without_them(MalformedMix mix)
    {
        var clean = CleanKafka.Value;
        var (messages, bad) = Mixed(Good.Value.Select(EventJson.SerializeToUtf8).ToList(), mix);
        var dirty = Task.Run(() => Live(messages)).WaitAsync(TimeSpan.FromSeconds(180)).GetAwaiter().GetResult();
        Assert.Equal(bad.Count, dirty.DeadLetters.Count);
        Assert.All(dirty.DeadLetters, d => Assert.True(Reasons.Any(r => d.Reason.StartsWith(r, StringComparison.Ordinal)), $"undocumented reason: {d.Reason}"));
        Assert.Equal(Keys(clean.Alerts), Keys(dirty.Alerts));
        Assert.Equal(clean.Commands, dirty.Commands);
    }

    private Lazy<Outcome> CleanKafka => _cleanKafka ??= new(() => Task.Run(() => Live(Good.Value.Select(EventJson.SerializeToUtf8).ToList())).GetAwaiter().GetResult());
    private static Lazy<Outcome>? _cleanKafka;

    /// <summary>The good messages with the malformed ones put in at their places; the indices of the malformed ones.</summary>
    private static (List<byte[]> Lines, List<int> Bad) Mixed(List<byte[]> good, MalformedMix mix)
    {
        var lines = new List<byte[]>(good);
        foreach (var (at, message) in mix.Items.OrderBy(i => i.At)) lines.Insert((int)(at * lines.Count), message.Bytes);
        var bad = mix.Items.Select(i => i.Message.Bytes).ToHashSet(ReferenceEqualityComparer.Instance);
        return (lines, [.. lines.Select((l, i) => (l, i)).Where(x => bad.Contains(x.l)).Select(x => x.i)]);
    }

    private static async Task<Outcome> Replay(List<byte[]> lines)
    {
        var file = new MemoryStream();
        foreach (var l in lines)
        {
            file.Write(l);
            file.WriteByte((byte)'\n');
        }
        file.Position = 0;
        var alerts = new StringWriter();
        var commands = new StringWriter();
        var dead = new StringWriter();
        await using (var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Clock)))
            await new ReplayRunner(graph).RunAsync(file, alerts, commands, dead);
        return new Outcome(
            Final(Lines(alerts).Select(OutputJson.ParseAlert)),
            [.. Lines(commands).Select(OutputJson.ParseCommand).Select(Command).Order(StringComparer.Ordinal)],
            [.. Lines(dead).Select(OutputJson.ParseDeadLetter)]);
    }

    private async Task<Outcome> Live(List<byte[]> messages)
    {
        var options = kafka.Options("fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        kafka.Produce(options.InputTopic, messages.Select(m => (EventJson.TryParse(m, out var e, out _) ? e!.UserId : "malformed", m)));
        var alerts = new List<Alert>();
        var commands = new List<PermissionCommand>();
        var dead = new List<DeadLetter>();
        await using (var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Clock)))
        {
            var ingest = new KafkaIngest(options, graph);
            ingest.BatchPublished += r =>
            {
                alerts.AddRange(r.Alerts);
                commands.AddRange(r.Commands);
                dead.AddRange(r.DeadLetters);
            };
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var run = Task.Run(() => ingest.RunAsync(cts.Token));
            while (ingest.Stats.Events < messages.Count && !run.IsCompleted) await Task.Delay(50);
            await cts.CancelAsync();
            await run;
            Assert.Equal(messages.Count, ingest.Stats.Events);
        }
        return new Outcome(Final(alerts), [.. commands.Select(Command).Order(StringComparer.Ordinal)], dead);
    }

    private static List<string> Final(IEnumerable<Alert> revisions) =>
        [.. revisions.GroupBy(a => a.AlertId).Select(g => OutputJson.Serialize(g.MaxBy(a => a.Revision)!)).Order(StringComparer.Ordinal)];

    /// <summary>What the Kafka path must agree on: which alerts, at which severity and count (branch texts may list users in another order).</summary>
    private static List<string> Keys(IEnumerable<string> alerts) =>
        [.. alerts.Select(OutputJson.ParseAlert).Select(a => $"{a.AlertId} {a.Rule} {a.EntityId} {a.Day} {a.Severity} {a.Count}")];

    private static string Command(PermissionCommand c) => $"{c.CommandId} {c.Action} {c.UserId} {c.BranchId}";

    private static IEnumerable<string> Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private sealed record Outcome(List<string> Alerts, List<string> Commands, List<DeadLetter> DeadLetters);
}
