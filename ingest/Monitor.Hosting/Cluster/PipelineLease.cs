using Akka.Actor;

namespace Monitor.Hosting.Cluster;

/// <summary>
/// The cluster singleton that says which node leads the pipeline. Akka.Cluster runs it on the oldest member; when
/// it starts on a node, that node leads (<see cref="Leadership"/>); when the node leaves, the singleton is told to
/// hand over and stops only once the node's pipeline has stopped and taken its last checkpoint, and the next node
/// begins from that checkpoint. When the node dies instead, the split brain resolver downs it and the singleton
/// starts on the next node, which begins from the last checkpoint the dead one committed.
/// </summary>
public sealed class PipelineLease : ReceiveActor
{
    private readonly Leadership _leadership;

    public PipelineLease(Leadership leadership)
    {
        _leadership = leadership;
        Receive<HandOver>(_ => _leadership.Release().PipeTo(Self, success: () => Released.Instance, failure: _ => Released.Instance));
        Receive<Released>(_ => Context.Stop(Self));
        Receive<LeaveRequest>(r => _leadership.Leaving(r.Member).PipeTo(Sender, success: ok => new LeaveReady(ok), failure: _ => new LeaveReady(false)));
        Receive<ReopenRequest>(r =>
        {
            // The pipeline may still be restoring its state: try again shortly.
            if (!_leadership.Reopen(r.BranchId)) Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), Self, r, Sender);
        });
    }

    public static Props Props(Leadership leadership) => Akka.Actor.Props.Create(() => new PipelineLease(leadership));

    protected override void PreStart() => _leadership.Gain();

    protected override void PostStop() => _leadership.Release(); // the actor system stops: the pipeline must too

    /// <summary>The singleton manager's termination message: the node is leaving, hand the pipeline over.</summary>
    public sealed class HandOver
    {
        public static readonly HandOver Instance = new();

        private HandOver()
        {
        }
    }

    private sealed class Released
    {
        public static readonly Released Instance = new();
    }
}

/// <summary>An officer reopened automatic suspension in a branch, on any node; the lead node's pipeline does it.</summary>
public sealed record ReopenRequest(string BranchId);

/// <summary>
/// A node with sharded entities is about to leave (a graceful stop): before its shards move, the leading node takes a
/// checkpoint and holds its batches until the node is gone, so its entities start elsewhere from their snapshots
/// instead of losing the term's work (<see cref="Monitor.Actors.Sharding.EntityClean"/>). <paramref name="Member"/> is the node's address.
/// </summary>
public sealed record LeaveRequest(string Member);

/// <summary>The leading node's answer to <see cref="LeaveRequest"/>: whether it committed a checkpoint and holds.</summary>
public sealed record LeaveReady(bool Held);
