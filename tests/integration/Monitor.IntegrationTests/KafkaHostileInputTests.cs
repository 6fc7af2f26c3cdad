using System.Text;
using System.Text.RegularExpressions;
using Monitor.Contracts;
using Monitor.Simulator;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor run</c>, started as an operator starts it, consuming hand-made bad messages on its topic
/// (issue 13): the verdict is the replay's, the console cannot be forged, one early-dated event blinds nothing,
/// and subject ids appear neither on the console nor in the metrics.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaHostileInputTests(MockKafkaFixture kafka)
{
    [Fact]
    public async Task Hostile_messages_get_the_replays_verdict_and_forge_no_console_line_or_command()
    {
        var name = "hostile-" + Guid.NewGuid().ToString("N")[..8];
        var good = new BankSimulator(new SimulationOptions { Seed = 5, Days = 2 }).Events().ToList();
        var hostile = HostileLines.All.Select((h, i) => (h.Name, Bytes: HostileLines.WithId(h.Bytes, $"hostile-{i}"), h.Reason)).ToList();
        await using var run = Start(name, out _);
        kafka.Produce($"{name}.query-log", good.Take(500).Select(MockKafkaFixture.Message)
            .Concat(hostile.Select(h => ("QO010101", h.Bytes)))
            .Concat(good.Skip(500).Select(MockKafkaFixture.Message)));

        var dead = kafka.ReadAll($"{name}.query-log.dlq", hostile.Count, TimeSpan.FromSeconds(60));
        Assert.Equal(hostile.Count, dead.Count);
        var reasons = dead.ToDictionary(d => Encoding.UTF8.GetString(d.Message.Value), d => Encoding.UTF8.GetString(d.Message.Headers.GetLastBytes("dlq.reason")));
        var replay = await ReplayHostileInputTests.Replay([.. hostile.Select(h => h.Bytes)]);
        foreach (var (h, d) in hostile.Zip(replay.DeadLetters))
        {
            Assert.StartsWith(h.Reason, reasons[Encoding.UTF8.GetString(h.Bytes)]);
            Assert.Equal(d.Reason, reasons[Encoding.UTF8.GetString(h.Bytes)]); // one reader, one verdict
        }

        Assert.True(await run.WaitUntil(() => run.Stdout.Count(l => l.StartsWith("DLQ", StringComparison.Ordinal)) >= hostile.Count, TimeSpan.FromSeconds(30)), run.Transcript);
        await run.StopAsync();
        Assert.DoesNotContain(run.Stdout, l => l.StartsWith("COMMAND reinstate", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Stdout, l => l.Contains('\u001b') || l.Contains('\u202E'));
        var commands = kafka.ReadAll($"{name}.permission-commands", 100, TimeSpan.FromSeconds(5)).Select(r => OutputJson.ParseCommand(Encoding.UTF8.GetString(r.Message.Value)));
        Assert.DoesNotContain(commands, c => c.UserId.Contains("QO010101", StringComparison.Ordinal) && c.UserId != "QO010101");
    }

    [Fact]
    public async Task One_event_a_day_ahead_of_the_clock_is_dead_lettered_and_the_live_traffic_after_it_is_not_late()
    {
        var name = "ahead-" + Guid.NewGuid().ToString("N")[..8];
        // A day of the bank up to now, as a live topic holds it.
        var now = DateTimeOffset.UtcNow;
        var today = Instant.FromDateTimeOffset(now).InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date;
        var day = new BankSimulator(new SimulationOptions { Seed = 9, Days = 2, Start = today.PlusDays(-1) }).Events()
            .Where(e => e.OccurredAt <= now.AddMinutes(-1) && e.OccurredAt >= now.AddHours(-24)).ToList();
        Assert.True(day.Count > 500, $"{day.Count} events in the last day");
        var victim = day[day.Count / 10];
        var ahead = victim with { EventId = "a-day-ahead", OccurredAt = now.AddHours(20) };
        await using var run = Start(name, out var dir);
        kafka.Produce($"{name}.query-log", day.Take(day.Count / 10).Append(ahead).Concat(day.Skip(day.Count / 10)).Select(MockKafkaFixture.Message));
        Assert.True(await Processed(dir, day.Count + 1, TimeSpan.FromSeconds(90)), "the monitor did not process the topic in time");
        await run.StopAsync();
        var dead = kafka.ReadAll($"{name}.query-log.dlq", 2, TimeSpan.FromSeconds(5));
        var only = Assert.Single(dead); // before: every later event of its partition went "late"
        Assert.Equal("a-day-ahead", EventJson.TryParse(only.Message.Value, out var e, out _) ? e!.EventId : null);
        Assert.StartsWith("implausible time:", Encoding.UTF8.GetString(only.Message.Headers.GetLastBytes("dlq.reason")));
        Assert.Contains(run.Stderr, l => l.StartsWith($"stopped after {day.Count + 1} events", StringComparison.Ordinal) && l.Contains(" 1 dead letters", StringComparison.Ordinal));
    }

    /// <summary>Waits until the run's pipeline metrics (written every 10 s) count <paramref name="events"/> events.</summary>
    private static async Task<bool> Processed(string dir, long events, TimeSpan timeout)
    {
        var file = Path.Combine(dir, "metrics.lp");
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file))
            {
                using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var text = await reader.ReadToEndAsync();
                if (Regex.Matches(text, @"^pipeline[ ,].*\bevents=(\d+)i", RegexOptions.Multiline).Any(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= events)) return true;
            }
            await Task.Delay(500);
        }
        return false;
    }

    [Fact]
    public async Task Subject_ids_appear_neither_on_the_console_nor_in_the_metrics()
    {
        var name = "subjects-" + Guid.NewGuid().ToString("N")[..8];
        var events = new BankSimulator(new SimulationOptions { Seed = 5, Days = 3 }).Events().ToList();
        // One subject's report passed around: read by six users of six branches within the hour (REPEATED_SUBJECT on the subject).
        var readers = events.Where(e => e.IsSuccessfulQuery && e.Purpose == Purpose.LoanApproval).DistinctBy(e => e.BranchId).Take(6).ToList();
        var crowd = readers.Select((e, i) => e with { EventId = $"crowd-{i}", SubjectId = "s-passed-around-4711", OccurredAt = readers[0].OccurredAt.AddMinutes(i) });
        var all = events.Concat(crowd).OrderBy(e => e.OccurredAt).ToList();
        var subjects = all.Where(e => e.SubjectId is not null).Select(e => e.SubjectId!).ToHashSet(StringComparer.Ordinal);

        await using var run = Start(name, out var dir);
        kafka.Produce($"{name}.query-log", all.Select(MockKafkaFixture.Message));
        Assert.True(await run.WaitForLine(l => l.Contains("REPEATED_SUBJECT", StringComparison.Ordinal) && l.Contains(" subject ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), stdout: true) is not null,
            run.Transcript);
        await run.StopAsync();
        var metrics = File.ReadAllText(Path.Combine(dir, "metrics.lp"));
        Assert.Contains("entity_type=subject", metrics);
        var console = string.Join('\n', run.Stdout.Concat(run.Stderr));
        Assert.Contains("REPEATED_SUBJECT", console);
        foreach (var s in subjects)
        {
            Assert.DoesNotContain(s, console);
            Assert.DoesNotContain(s, metrics);
        }
    }

    private CliProcess Start(string name, out string dir)
    {
        dir = Directory.CreateTempSubdirectory("monitor-run-").FullName;
        return CliProcess.Start("run", "--kafka", kafka.BootstrapServers, "--group", name + ".monitor",
            "--input-topic", $"{name}.query-log", "--alerts-topic", $"{name}.alerts", "--commands-topic", $"{name}.permission-commands",
            "--dead-letter-topic", $"{name}.query-log.dlq", "--store", Path.Combine(dir, "monitor.db"), "--models", Path.Combine(dir, "models"),
            "--api", $"127.0.0.1:{Ports.Free()}", "--metrics-file", Path.Combine(dir, "metrics.lp"));
    }
}
