using System.Text;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Ingest;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// One suspension per user and incident, whatever happens around it: the hand-written replay (an administrator
/// reading reports, a disabled account querying) replayed twice into one store, redelivered whole within one
/// run, and re-read from Kafka by a restarted monitor with fresh detectors, on SQLite and on PostgreSQL.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class SuspensionOnceTests(MockKafkaFixture kafka, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten");
    private static readonly (string, string)[] Expected = [("suspend", "Q0304"), ("suspend", "UA0200")];

    private async Task<string> StoreAsync(string kind, DirectoryInfo dir) =>
        kind == "postgres" ? await postgres.NewDatabaseAsync() : Path.Combine(dir.FullName, "monitor.db");

    private static async Task<List<PermissionCommand>> Replay(string input, string store, DirectoryInfo dir, string name)
    {
        var commands = Path.Combine(dir.FullName, name + ".commands.jsonl");
        var (code, stderr) = await Cli.Run("replay", "--input", input, "--output", Path.Combine(dir.FullName, name + ".alerts.jsonl"),
            "--commands", commands, "--settings", Path.Combine(Fixtures, "settings.json"), "--store", store);
        Assert.True(code == 0, stderr);
        return [.. File.ReadAllLines(commands).Select(OutputJson.ParseCommand)];
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Replaying_the_file_again_into_the_same_store_sends_no_second_suspension(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("monitor-once-");
        var store = await StoreAsync(kind, dir);
        var input = Path.Combine(Fixtures, "events.jsonl");
        var first = await Replay(input, store, dir, "first");
        Assert.Equal(Expected, first.Select(c => (c.Action, c.UserId)).Order());
        Assert.Empty(await Replay(input, store, dir, "second"));
        var opened = await AlertStore.OpenAsync(store, TimeProvider.System);
        Assert.Equal(["Q0304", "UA0200"], (await opened.SuspensionsAsync(active: true)).Select(s => s.UserId).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await opened.CommandsAsync(null)).Count);
        Assert.Equal(2, (await opened.AuditAsync()).Count(a => a.Action == "suspend"));
    }

    [Fact]
    public async Task The_whole_file_redelivered_within_one_run_still_suspends_each_incident_once()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-once-");
        var lines = File.ReadAllLines(Path.Combine(Fixtures, "events.jsonl"));
        var doubled = Path.Combine(dir.FullName, "doubled.jsonl");
        File.WriteAllLines(doubled, lines.Concat(lines));
        var commands = await Replay(doubled, await StoreAsync("sqlite", dir), dir, "doubled");
        Assert.Equal(Expected, commands.Select(c => (c.Action, c.UserId)).Order());
    }

    [Fact]
    public async Task A_restarted_monitor_that_rereads_the_whole_topic_with_fresh_detectors_sends_no_second_suspension()
    {
        var options = kafka.Options("once-restart");
        var lines = File.ReadAllLines(Path.Combine(Fixtures, "events.jsonl")).Where(l => l.Length > 0).ToList();
        kafka.Produce(options.InputTopic, lines.Select(l => (EventJson.TryParse(l, out var e, out _) ? e!.UserId : "bad", Encoding.UTF8.GetBytes(l))));
        var location = Path.Combine(Directory.CreateTempSubdirectory("monitor-once-").FullName, "monitor.db");
        var context = DetectorSnapshot.Load(SettingsLoader.Load(Path.Combine(Fixtures, "settings.json")));
        foreach (var group in new[] { "first-start", "after-restart-offsets-lost" })
        {
            var store = await AlertStore.OpenAsync(location, TimeProvider.System);
            await using var graph = DetectionGraph.Start(context, new FixedClock(Ev.At(2026, 6, 1, 0)));
            var ingest = new KafkaIngest(options with { GroupId = group }, graph) { Ledger = new StoreLedger(store) };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = Task.Run(() => ingest.RunAsync(cts.Token));
            while (ingest.Stats.Events < lines.Count && !run.IsCompleted) await Task.Delay(50);
            await cts.CancelAsync();
            await run;
        }
        var published = kafka.ReadAll(options.CommandsTopic, 3, TimeSpan.FromSeconds(10)).Select(r => OutputJson.ParseCommand(Encoding.UTF8.GetString(r.Message.Value)));
        Assert.Equal(Expected, published.Select(c => (c.Action, c.UserId)).Order());
        Assert.Empty(await (await AlertStore.OpenAsync(location, TimeProvider.System)).UnsentAsync());
    }
}
