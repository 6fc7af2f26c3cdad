using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Hosting.Cluster;
using Monitor.Ingest;
using Monitor.Messages;
using Monitor.Simulator;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.Hosting.Tests;

/// <summary>
/// Cluster mode's entities (issue 15): two monitor hosts in one process form a cluster over their real remoting
/// ports; the node that leads runs the detection graph, and the user, branch, employee and subject entities live
/// in Akka.Cluster.Sharding regions on both nodes, every message between them through the monitor's serializer. The
/// alerts and commands must be those of one node that keeps its entities itself.
/// </summary>
public sealed class ShardedEntitiesTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharded");
    private readonly List<string> _lines = [];

    public void Dispose()
    {
        lock (_lines) foreach (var l in _lines) output.WriteLine(l);
        _dir.Delete(recursive: true);
    }

    private MonitorHostOptions Options(string store, ClusterNode? node) =>
        new(new SettingsInForce(new DetectionSettings())) { StateStore = store, Cluster = node, Lines = l => { lock (_lines) _lines.Add(l); } };

    private static List<List<IngestedEvent>> Batches(int days)
    {
        var sim = new BankSimulator(new SimulationOptions { Seed = 7, Days = days, Feeds = true });
        return [.. sim.Events().Select(e => new IngestedEvent(e, 0)).Chunk(400).Select(c => c.ToList())];
    }

    private static string Outputs(IEnumerable<BatchProcessed> results) => string.Join("\n",
        results.SelectMany(r => r.Alerts.Select(a => $"{a.AlertId} r{a.Revision} {a.Rule} {a.EntityId} {a.Severity} {a.Count}"))
            .Concat(results.SelectMany(r => r.Commands.Select(c => $"{c.CommandId} {c.Action} {c.UserId}"))).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Entities_sharded_over_two_nodes_judge_as_one_node_does()
    {
        var batches = Batches(days: 10);
        var settingsChange = batches.Count / 2;
        var changed = SettingsLoader.Parse("""{ "volume": { "userDaily": 40 } }""");

        var expected = new List<BatchProcessed>();
        await using (var single = await MonitorHost.StartAsync(Options(Path.Combine(_dir.FullName, "single.db"), null)))
        {
            for (var i = 0; i < batches.Count; i++)
            {
                if (i == settingsChange) single.Graph.Reconfigure(DetectorSnapshot.Load(changed));
                expected.Add(await single.Graph.ProcessAsync(batches[i]));
            }
        }

        var store = Path.Combine(_dir.FullName, "cluster.db");
        var (a, b) = (Ports.Free(), Ports.Free());
        var seeds = new[] { $"127.0.0.1:{a}" };
        await using var first = await MonitorHost.StartAsync(Options(store, new ClusterNode("127.0.0.1", a, seeds, TimeSpan.FromSeconds(3)) { ShardEntities = true }));
        await first.JoinedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await using var second = await MonitorHost.StartAsync(Options(store, new ClusterNode("127.0.0.1", b, seeds, TimeSpan.FromSeconds(3)) { ShardEntities = true }));
        await second.JoinedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var alerts = await AlertStore.OpenAsync(store, TimeProvider.System);
        await using var term = await first.LeadAsync(alerts, CancellationToken.None);
        Assert.NotNull(term);

        var actual = new List<BatchProcessed>();
        for (var i = 0; i < batches.Count; i++)
        {
            if (i == settingsChange) first.Graph.Reconfigure(DetectorSnapshot.Load(changed));
            actual.Add(await first.Graph.ProcessAsync(batches[i], new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
        }
        await first.Graph.CheckpointAsync(new Dictionary<int, long> { [0] = 1 });

        Assert.Equal(Outputs(expected), Outputs(actual));
        Assert.Contains(expected, r => r.Alerts.Count > 0);
        // The entities really are on both nodes: each region holds some.
        foreach (var host in new[] { first, second })
        {
            var region = host.Services.GetRequiredService<ActorRegistry>().Get<EntityShards.Users>();
            var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
            Assert.True(state.Shards.Sum(s => s.EntityIds.Count) > 0, "a node holds no user entity");
        }
    }

    [Fact]
    public async Task A_new_term_replays_from_the_last_checkpoint_and_judges_as_one_node_does()
    {
        var batches = Batches(days: 8);
        var (checkpointAt, restartAt) = (batches.Count / 3, 2 * batches.Count / 3);

        var expected = new Dictionary<string, string>();
        await using (var single = await MonitorHost.StartAsync(Options(Path.Combine(_dir.FullName, "single.db"), null)))
            foreach (var b in batches) Final(expected, await single.Graph.ProcessAsync(b));

        var store = Path.Combine(_dir.FullName, "cluster.db");
        var (a, b2) = (Ports.Free(), Ports.Free());
        var seeds = new[] { $"127.0.0.1:{a}" };
        await using var first = await MonitorHost.StartAsync(Options(store, new ClusterNode("127.0.0.1", a, seeds, TimeSpan.FromSeconds(3)) { ShardEntities = true }));
        await first.JoinedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await using var second = await MonitorHost.StartAsync(Options(store, new ClusterNode("127.0.0.1", b2, seeds, TimeSpan.FromSeconds(3)) { ShardEntities = true }));
        await second.JoinedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var alerts = await AlertStore.OpenAsync(store, TimeProvider.System);

        var actual = new Dictionary<string, string>();
        await using (var term = await first.LeadAsync(alerts, CancellationToken.None))
        {
            for (var i = 0; i < restartAt; i++)
            {
                Final(actual, await first.Graph.ProcessAsync(batches[i], new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
                if (i == checkpointAt - 1) await first.Graph.CheckpointAsync(new Dictionary<int, long> { [0] = i + 1 });
            }
        }
        // The next term: the entities on both nodes hold work after the checkpoint, which must not count.
        await using (var term = await first.LeadAsync(alerts, CancellationToken.None))
        {
            var from = (int)first.Graph.Positions[0];
            Assert.Equal(checkpointAt, from);
            for (var i = from; i < batches.Count; i++)
                Final(actual, await first.Graph.ProcessAsync(batches[i], new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
        }

        var differences = expected.Where(e => !actual.TryGetValue(e.Key, out var v) || v != e.Value).Select(e => $"{e.Key}: {e.Value} / {actual.GetValueOrDefault(e.Key)}")
            .Concat(actual.Keys.Except(expected.Keys).Select(k => $"extra {k}: {actual[k]}")).ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(20)));
    }

    [Fact]
    public async Task A_node_that_leaves_after_a_checkpoint_hands_its_entities_over_and_the_term_goes_on()
    {
        var batches = Batches(days: 8);
        var leaveAt = batches.Count / 2;
        var expected = new Dictionary<string, string>();
        await using (var single = await MonitorHost.StartAsync(Options(Path.Combine(_dir.FullName, "single.db"), null)))
            foreach (var b in batches) Final(expected, await single.Graph.ProcessAsync(b));

        var (first, second, alerts) = await TwoNodesAsync();
        await using var _ = first;

        var actual = new Dictionary<string, string>();
        await using var term = await first.LeadAsync(alerts, CancellationToken.None);
        for (var i = 0; i < leaveAt; i++) Final(actual, await first.Graph.ProcessAsync(batches[i], new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
        await first.Graph.CheckpointAsync(new Dictionary<int, long> { [0] = leaveAt });
        var region = second.Services.GetRequiredService<ActorRegistry>().Get<EntityShards.Users>();
        var held = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        Assert.True(held.Shards.Sum(s => s.EntityIds.Count) > 0, "the leaving node holds no user entity");

        // The second node leaves (a graceful stop): its shards move to the first, and its entities, all saved under
        // the committed checkpoint, start there from their snapshots; the same term goes on, judging as one node does.
        await second.DisposeAsync();
        for (var i = leaveAt; i < batches.Count; i++)
            Final(actual, await first.Graph.ProcessAsync(batches[i], new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));

        var differences = expected.Where(e => !actual.TryGetValue(e.Key, out var v) || v != e.Value).Select(e => $"{e.Key}: {e.Value} / {actual.GetValueOrDefault(e.Key)}")
            .Concat(actual.Keys.Except(expected.Keys).Select(k => $"extra {k}: {actual[k]}")).ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(20)));
    }

    [Fact]
    public async Task A_checkpoint_after_a_node_left_with_work_since_the_last_one_ends_the_term_as_lost()
    {
        var batches = Batches(days: 4);
        var (first, second, alerts) = await TwoNodesAsync();
        await using var _ = first;

        await using var term = await first.LeadAsync(alerts, CancellationToken.None);
        await first.Graph.CheckpointAsync(new Dictionary<int, long> { [0] = 0 });
        foreach (var b in batches) await first.Graph.ProcessAsync(b, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        await second.DisposeAsync(); // its entities' work since the checkpoint goes with it

        // Not a failed checkpoint to try again forever: the entities that lost their work can never save it, so the term ends.
        var failed = await Assert.ThrowsAsync<Monitor.Actors.CheckpointFailedException>(() => first.Graph.CheckpointAsync(new Dictionary<int, long> { [0] = batches.Count }));
        Assert.IsType<Monitor.Actors.Sharding.EntityStateLostException>(failed.InnerException);
        Assert.Equal(1, first.Graph.Checkpoint);
    }

    /// <summary>
    /// Two cluster nodes with sharded entities on one SQLite store, the first seeding the cluster, each region known to
    /// the shard coordinator (so shards go to both). The second is the caller's to dispose: the tests make it leave.
    /// </summary>
    private async Task<(MonitorHost First, MonitorHost Second, AlertStore Alerts)> TwoNodesAsync()
    {
        var store = Path.Combine(_dir.FullName, "cluster.db");
        var (a, b) = (Ports.Free(), Ports.Free());
        var seeds = new[] { $"127.0.0.1:{a}" };
        var first = await MonitorHost.StartAsync(Options(store, new ClusterNode("127.0.0.1", a, seeds, TimeSpan.FromSeconds(3)) { ShardEntities = true }));
        await first.JoinedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var second = await MonitorHost.StartAsync(Options(store, new ClusterNode("127.0.0.1", b, seeds, TimeSpan.FromSeconds(3)) { ShardEntities = true }));
        await second.JoinedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await BothRegionsKnown(first);
        return (first, second, await AlertStore.OpenAsync(store, TimeProvider.System));
    }

    /// <summary>Waits until the users' shard coordinator knows both nodes' regions, so that shards are allocated to both.</summary>
    private static async Task BothRegionsKnown(MonitorHost host)
    {
        var region = host.Services.GetRequiredService<ActorRegistry>().Get<EntityShards.Users>();
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
            if (stats.Regions.Count == 2) return;
        }
        Assert.Fail("the second node's region never registered");
    }

    /// <summary>Each alert's highest revision and each command, as a consumer of the topics keeps them.</summary>
    private static void Final(Dictionary<string, string> into, BatchProcessed result)
    {
        foreach (var a in result.Alerts)
            if (!into.TryGetValue(a.AlertId, out var had) || int.Parse(had.Split(' ')[0]) <= a.Revision) into[a.AlertId] = $"{a.Revision} {a.Rule} {a.Count} {a.Severity}";
        foreach (var c in result.Commands) into[c.CommandId] = $"0 {c.Action} {c.UserId}";
    }
}
