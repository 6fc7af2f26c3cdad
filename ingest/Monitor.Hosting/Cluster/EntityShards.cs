using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Persistence;
using Monitor.Actors;
using Monitor.Actors.Sharding;
using Monitor.Actors.State;
using Monitor.Detectors;

namespace Monitor.Hosting.Cluster;

/// <summary>
/// The user, branch, employee and subject entities as Akka.Cluster.Sharding entities, started through
/// Akka.Cluster.Hosting on every node of the cluster: each node hosts the shards the cluster gives it, and the leading
/// node's detection graph reaches every entity through these regions (<see cref="ShardedPlacement"/>). The shards
/// are allocated by Akka's default strategy (least shards first); entities leave memory by the monitor's own rule
/// (idle and saved), never by Akka's idle passivation, and no entity is remembered: a message starts it.
/// </summary>
internal static class EntityShards
{
    /// <summary>The registry keys of the four regions.</summary>
    public sealed class Users;

    public sealed class Branches;

    public sealed class Employees;

    public sealed class Subjects;

    /// <summary>
    /// Rebalancing moves every shard it is going to move in one round: an entity whose shard moves loses what it built
    /// since the last checkpoint and the leading node begins a new term, so one round after a node joins costs one new
    /// term, where Akka's default (a tenth of the shards per round, every 10 s) would cost one every 10 s for a minute.
    /// </summary>
    public const string Hocon = """
        akka.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit = 1000
        akka.cluster.sharding.least-shard-allocation-strategy.rebalance-relative-limit = 1.0
        """;

    public static AkkaConfigurationBuilder WithEntityShards(this AkkaConfigurationBuilder akka, TimeSpan idleAfter)
    {
        var options = new ShardOptions
        {
            RememberEntities = false,
            ShouldPassivateIdleEntities = false,
            StateStoreMode = Akka.Cluster.Sharding.StateStoreMode.DData,
        };
        var extractor = new EntityExtractor();
        return akka
            .WithShardRegion<Users>("user", Entities("user", (id, s, st) => EntityActor.User(id, s, st), idleAfter), extractor, options)
            .WithShardRegion<Branches>("branch", Entities("branch", (id, s, st) => EntityActor.Branch(id, s, st), idleAfter), extractor, options)
            .WithShardRegion<Employees>("employee", Entities("employee", (id, s, st) => EntityActor.Employee(id, s, st), idleAfter), extractor, options)
            .WithShardRegion<Subjects>("subjects", Entities("subjects", (id, s, st) => EntityActor.Subjects(id, s, st), idleAfter), extractor, options);
    }

    /// <summary>The four regions of this node, for the graph when this node leads.</summary>
    public static ShardedPlacement Placement(ActorRegistry registry) =>
        new(registry.Get<Users>(), registry.Get<Branches>(), registry.Get<Employees>(), registry.Get<Subjects>());

    private static Func<ActorSystem, IActorRegistry, Func<string, Props>> Entities(string kind, Func<string, DetectorSnapshot, EntityStorage, Props> entity, TimeSpan idleAfter) =>
        (system, _) =>
        {
            var snapshots = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
            return id => ShardedEntity.Props(kind, id, (settings, storage) => entity(id, settings, storage), snapshots, idleAfter);
        };
}
