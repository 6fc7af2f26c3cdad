using Akka.Actor;
using Akka.Cluster;

namespace Monitor.Hosting.Cluster;

/// <summary>
/// Ends a lead term when a member of the cluster becomes unreachable: the shards on that member hold entity state of
/// the term that may be gone, and messages to it may never be answered. The leading node then begins the next term
/// from the last checkpoint that counts, once every member is reachable again (<see cref="WaitReachableAsync"/>), with
/// the shards that were on the member started elsewhere. A member that leaves gracefully does not end the term: it
/// asks for a checkpoint and a hold before its shards move (<see cref="LeaveRequest"/>), so its entities start
/// elsewhere from their snapshots; should that fail, an entity that lost work says so at its next message
/// (<c>PartDone.Lost</c>) and the term ends then.
/// </summary>
internal sealed class MembershipWatch : ReceiveActor
{
    private readonly CancellationTokenSource _changed;

    public MembershipWatch(CancellationTokenSource changed)
    {
        _changed = changed;
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(_ => Changed());
    }

    public static Props Props(CancellationTokenSource changed) => Akka.Actor.Props.Create(() => new MembershipWatch(changed));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.UnreachableMember));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Changed()
    {
        if (!_changed.IsCancellationRequested) _changed.Cancel();
    }

    /// <summary>
    /// Completes once the member at <paramref name="address"/> is on its way out of the cluster (exiting, down or
    /// removed), or after <paramref name="within"/> at the latest: a node leaving gracefully hands its shards off
    /// before it leaves, so its entities have stopped by then.
    /// </summary>
    public static async Task GoneAsync(ActorSystem system, string address, TimeSpan within)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        for (var deadline = DateTime.UtcNow + within; DateTime.UtcNow < deadline; await Task.Delay(TimeSpan.FromMilliseconds(200)))
            if (!cluster.State.Members.Any(m => m.Address.ToString() == address && m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Leaving))
                return;
    }

    /// <summary>Completes once no member of the cluster is unreachable (a dead one has been downed and removed).</summary>
    public static async Task WaitReachableAsync(ActorSystem system, CancellationToken ct)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        while (cluster.State.Unreachable.Count > 0) await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
    }
}
