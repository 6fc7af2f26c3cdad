using Akka.Actor;

namespace Monitor.Actors.Sharding;

/// <summary>
/// Where a cluster node's detection graph keeps its entities: the four Akka.Cluster.Sharding regions (one per entity
/// kind, started on every node through Akka.Cluster.Hosting), instead of actors of its own. The graph's regions then
/// hold an <see cref="EntityProxy"/> per entity and the entities live on whichever node holds their shard.
/// </summary>
public sealed record ShardedPlacement(IActorRef Users, IActorRef Branches, IActorRef Employees, IActorRef Subjects)
{
    /// <summary>The shard region type names (the entity kinds, also the persistence ids' prefixes).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["user", "branch", "employee", "subjects"];
}
