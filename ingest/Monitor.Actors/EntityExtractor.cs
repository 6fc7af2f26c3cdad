using Akka.Cluster.Sharding;

namespace Monitor.Actors;

/// <summary>
/// Routes messages to user, branch, employee and subject-share entities exactly as Akka.Cluster.Sharding would, so the local regions
/// used today can be replaced by <c>ClusterSharding.Start</c> with this same extractor when the monitor
/// spreads over several nodes.
/// </summary>
public sealed class EntityExtractor(int maxShards = EntityExtractor.DefaultShards) : HashCodeMessageExtractor(maxShards)
{
    public const int DefaultShards = 100;

    /// <summary>
    /// The entity a message is for; null for a message no entity takes (Akka.Cluster.Sharding then drops it as
    /// unhandled instead of failing the region). <see cref="ShardRegion.StartEntity"/> never reaches it: Akka.NET
    /// (1.5.15 on) routes it by the entity id it carries, to the shard <c>ShardId(entityId, …)</c> gives.
    /// </summary>
    public override string? EntityId(object message) => message switch
    {
        IWithUserId u => u.UserId,
        IWithBranchId b => b.BranchId,
        IWithEmployeeId p => p.EmployeeId,
        IWithSubjectShare s => s.Share,
        Sharding.EntityEnvelope e => e.EntityId, // cluster mode: the shard regions deliver the envelope whole; the entity unwraps it
        _ => null,
    };
}
