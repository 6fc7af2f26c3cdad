using System.Net;
using System.Text;
using Confluent.Kafka;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary><c>monitor run --candidate</c> as a user runs it: a candidate flown beside the live settings on the mock cluster.</summary>
[Collection(KafkaCollection.Name)]
public sealed class FlightRunTests(MockKafkaFixture kafka)
{
    private const string Officer = "mk_flight-run-officer";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_candidates_alerts_are_tagged_on_their_own_topic_never_a_command_never_in_the_officers_queue_and_its_metrics_carry_its_name()
    {
        var options = kafka.Options("flight-run");
        var candidateTopic = options.AlertsTopic + ".candidate";
        var dir = Directory.CreateTempSubdirectory("monitor-flight-run-");
        var settings = Path.Combine(dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"api": {"keys": [{"name": "officer-wang", "role": "officer", "sha256": "{{{ApiKeys.Hash(Officer)}}}"}]}}""");
        var candidate = Path.Combine(dir.FullName, "lower-volume.json");
        await File.WriteAllTextAsync(candidate, """{"volume": {"userDaily": 3}}""");
        // An administrator's query (an alert and a suspension live), and one operator's 8 queries in a day (only the candidate's lower threshold alerts).
        var events = new List<QueryLogEvent> { Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10)) };
        for (var i = 0; i < 8; i++) events.Add(Ev.Query(user: "QO0101", at: Ev.At(2026, 3, 3, 10, 1 + i)));
        events.Add(Ev.Query(user: "QO0102", at: Ev.At(2026, 3, 3, 10, 30)));
        kafka.Produce(options.InputTopic, events.Select(MockKafkaFixture.Message));

        await using var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"), "--settings", settings, "--candidate", candidate, "--candidate-topic", candidateTopic);

        var flown = kafka.ReadAll(candidateTopic, 2, Patience).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        var live = kafka.ReadAll(options.AlertsTopic, 1, Patience).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        await Task.Delay(3000); // anything else of the batch comes out meanwhile
        Assert.False(monitor.Exited, monitor.Transcript);
        Assert.True(flown.Count >= 2, monitor.Transcript);
        Assert.All(flown, a => Assert.Equal("lower-volume", a.Flight));
        Assert.All(flown, a => Assert.False(a.SuspensionRequested));
        Assert.Contains(flown, a => a.UserId == "QO0101"); // the candidate alerts where live does not
        live = kafka.ReadAll(options.AlertsTopic, 100, TimeSpan.FromSeconds(5)).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        Assert.All(live, a => Assert.Null(a.Flight));
        Assert.DoesNotContain(live, a => a.UserId == "QO0101");

        // Commands: only live's (the administrator's suspension), none for the candidate's alerts.
        var commands = kafka.ReadAll(options.CommandsTopic, 100, TimeSpan.FromSeconds(5)).Select(r => OutputJson.ParseCommand(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        Assert.DoesNotContain(commands, c => c.AlertIds.Any(id => flown.Any(f => f.AlertId == id) && live.All(l => l.AlertId != id)));

        // The officers' queue lists live's alerts only.
        var (status, body) = await monitor.GetAsync("api/alerts", Officer);
        Assert.True(status == HttpStatusCode.OK, $"{status} {body}");
        Assert.DoesNotContain("\"flight\"", body);
        Assert.DoesNotContain("QO0101", body);

        // Event-time metrics tagged with the candidate's name.
        var metrics = Path.Combine(dir.FullName, "metrics.lp");
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !(File.Exists(metrics) && File.ReadAllText(metrics).Contains("run=lower-volume", StringComparison.Ordinal))) await Task.Delay(500);
        Assert.Contains("run=lower-volume", File.ReadAllText(metrics));
    }

    [Fact]
    public async Task A_saved_candidate_file_is_flown_from_then_on_and_one_that_does_not_load_keeps_the_last_good_with_a_log_line()
    {
        var options = kafka.Options("flight-reload");
        var candidateTopic = options.AlertsTopic + ".candidate";
        var dir = Directory.CreateTempSubdirectory("monitor-flight-reload-");
        var candidate = Path.Combine(dir.FullName, "lower-volume.json");
        await File.WriteAllTextAsync(candidate, """{"volume": {"userDaily": 100}}""");
        await using var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"), "--candidate", candidate, "--candidate-topic", candidateTopic);

        // Each phase: one operator's 8 queries of the morning, then an administrator's query whose flight alert says the
        // flight has read them (one partition: one order).
        async Task<List<Alert>> Phase(int n)
        {
            var events = Enumerable.Range(0, 8).Select(i => Ev.Query(user: $"QO0{n}01", at: Ev.At(2026, 3, 3, 9 + n, i))).ToList();
            events.Add(Ev.Query(user: $"UA010{n}", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 9 + n, 30)));
            using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
            {
                foreach (var e in events)
                    producer.Produce(new TopicPartition(options.InputTopic, new Partition(0)), new Message<string, byte[]> { Key = e.Key, Value = EventJson.SerializeToUtf8(e) });
                producer.Flush(TimeSpan.FromSeconds(30));
            }
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                // Joining a group on the mock takes seconds: each read waits long enough to see the topic.
                var flown = kafka.ReadAll(candidateTopic, 1000, TimeSpan.FromSeconds(8)).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
                if (flown.Any(a => a.UserId == $"UA010{n}")) return flown;
            }
            Assert.Fail($"the flight did not read phase {n}\n{monitor.Transcript}");
            return [];
        }

        var flown = await Phase(1);
        Assert.DoesNotContain(flown, a => a.Rule == RuleIds.VolumeSpike); // 8 queries, the candidate's threshold 100

        // The analyst saves a lower threshold: in force from the next batch, said on stderr.
        await File.WriteAllTextAsync(candidate, """{"volume": {"userDaily": 3}}""");
        Assert.True(await monitor.WaitStderrAsync($"candidate lower-volume reloaded from {candidate}", TimeSpan.FromSeconds(30)), monitor.Transcript);
        flown = await Phase(2);
        Assert.Contains(flown, a => a.Rule == RuleIds.VolumeSpike && a.UserId == "QO0201" && a.Flight == "lower-volume");

        // A save that does not load: refused with its key, the flight goes on with threshold 3.
        await File.WriteAllTextAsync(candidate, """{"volume": {"userDaily": 0}}""");
        Assert.True(await monitor.WaitStderrAsync("candidate lower-volume refused, the flight goes on with the last good candidate settings", TimeSpan.FromSeconds(30)), monitor.Transcript);
        Assert.Contains(monitor.Stderr, l => l.StartsWith("candidate lower-volume refused", StringComparison.Ordinal) && l.Contains("volume.userDaily", StringComparison.Ordinal));
        flown = await Phase(3);
        Assert.Contains(flown, a => a.Rule == RuleIds.VolumeSpike && a.UserId == "QO0301");

        // Live judged by its own settings all along.
        var live = kafka.ReadAll(options.AlertsTopic, 1000, TimeSpan.FromSeconds(8)).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
        Assert.Contains(live, a => a.UserId == "UA0103");
        Assert.DoesNotContain(live, a => a.Rule == RuleIds.VolumeSpike);
        Assert.False(monitor.Exited, monitor.Transcript);
    }
}
