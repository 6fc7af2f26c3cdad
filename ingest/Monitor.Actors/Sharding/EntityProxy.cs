using Akka.Actor;
using Monitor.Actors.State;
using Monitor.Models;

namespace Monitor.Actors.Sharding;

/// <summary>
/// The leading node's stand-in for one sharded entity (cluster mode): the <see cref="EntityRegion"/> holds it where it
/// would hold the entity's actor on one node, so the region's bookkeeping (the entities touched since the last
/// checkpoint, the barrier, passivation, the settings and models in force) is the same on one node and on many.
/// It wraps what the region sends in an <see cref="EntityEnvelope"/> for the shard region, keeping the sender, so the
/// entity answers the coordinator or the region directly from whichever node it lives on. The region's
/// <see cref="StopEntity"/> is passed on, and the stand-in stops once the entity has (or after
/// <see cref="StopWait"/>, the entity's node being gone).
/// </summary>
public sealed class EntityProxy : ReceiveActor, IWithTimers
{
    /// <summary>How long a stopping stand-in waits for its entity's word before it stops anyway.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly string _entityId;
    private readonly IActorRef _shards;
    private readonly long _epoch;
    private LedgerView _ledger;
    private string _settings = "";
    private string _models = PeerModelSet.Empty.Version;
    private bool _continuing;

    public EntityProxy(string entityId, IActorRef shards, long epoch, LedgerView ledger)
    {
        (_entityId, _shards, _epoch, _ledger) = (entityId, shards, epoch, ledger);
        Receive<UseSettings>(u => _settings = u.Version ?? "");
        Receive<EntityClean>(c => (_continuing, _ledger) = (false, c.Ledger));
        Receive<UseModels>(u => _models = u.Version ?? u.Models.Version);
        Receive<Passivate>(p => Context.Parent.Forward(p));
        Receive<StateDropped>(d => Context.Parent.Forward(d));
        Receive<ConfigWanted>(w => Context.Parent.Forward(w));
        Receive<StopEntity>(_ =>
        {
            Send(StopEntity.Instance);
            Timers.StartSingleTimer("stop", GiveUp.Instance, StopWait);
            Become(Stopping);
        });
        ReceiveAny(m =>
        {
            Send(m);
            if (m is IEntityShare or IAccountSeeds) _continuing = true;
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string entityId, IActorRef shards, long epoch, LedgerView ledger) =>
        Akka.Actor.Props.Create(() => new EntityProxy(entityId, shards, epoch, ledger));

    private void Send(object message) =>
        _shards.Tell(new EntityEnvelope(_entityId, new EntityTerm(_epoch, _ledger, _settings, _models, _continuing, Self), message), Sender);

    private void Stopping()
    {
        Receive<EntityStopped>(_ => Context.Stop(Self));
        Receive<GiveUp>(_ => Context.Stop(Self));
        Receive<ConfigWanted>(w => Context.Parent.Forward(w));
        // Nothing else reaches it now: the region holds the entity's messages until the stand-in has stopped.
        ReceiveAny(_ => { });
    }

    private sealed class GiveUp
    {
        public static readonly GiveUp Instance = new();
    }
}
