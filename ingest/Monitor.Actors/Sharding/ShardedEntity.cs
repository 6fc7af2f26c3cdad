using Akka.Actor;
using ShardPassivate = Akka.Cluster.Sharding.Passivate;
using Akka.Event;
using Monitor.Actors.State;
using Monitor.Detectors;
using Monitor.Models;

namespace Monitor.Actors.Sharding;

/// <summary>
/// One entity as Akka.Cluster.Sharding starts it, on whichever node holds its shard (cluster mode). It holds the
/// entity's <see cref="EntityActor"/> (the same actor as on one node) and gives it what the envelopes say:
/// <list type="bullet">
/// <item>the settings and models versions of each message, fetched once per version and node (<see cref="EntityConfig"/>) and put in force before the message;</item>
/// <item>a newer term's epoch: the state built under the last term may not count, so the entity starts again from the
/// last checkpoint that counts (the new term's ledger);</item>
/// <item>work the leading node believes the entity holds when it does not (its shard moved or its node died since):
/// the message is answered as lost (<see cref="PartDone.Lost"/>, or a failed save), and the leading node begins a new term.</item>
/// </list>
/// </summary>
public sealed class ShardedEntity : ReceiveActor, IWithUnboundedStash
{
    private readonly string _entityId;
    private readonly Func<DetectorSnapshot, EntityStorage, Props> _child;
    private readonly string _persistenceId;
    private readonly IActorRef _snapshots;
    private readonly TimeSpan _idleAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EntityConfig _config = EntityConfig.Get(Context.System);
    private IActorRef? _entity;
    private IActorRef _region = ActorRefs.Nobody;
    private long _epoch;
    private bool _work;
    private string _settingsVersion = "";
    private string _modelsVersion = PeerModelSet.Empty.Version;
    private DetectorSnapshot? _settings;
    private PeerModelSet _models = PeerModelSet.Empty;

    public ShardedEntity(string kind, string entityId, Func<DetectorSnapshot, EntityStorage, Props> child, IActorRef snapshots, TimeSpan idleAfter)
    {
        (_entityId, _child, _snapshots, _idleAfter) = (entityId, child, snapshots, idleAfter);
        _persistenceId = $"{kind}/{entityId}";
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    /// <param name="kind">The entity kind, the persistence id's prefix (user, branch, employee, subjects).</param>
    /// <param name="entityId">The entity's id, as the shard region gives it.</param>
    /// <param name="child">The entity's actor for the settings in force and its storage.</param>
    /// <param name="snapshots">This node's snapshot store (the shared database).</param>
    /// <param name="idleAfter">How long the entity may be idle before it asks to leave memory.</param>
    public static Props Props(string kind, string entityId, Func<DetectorSnapshot, EntityStorage, Props> child, IActorRef snapshots, TimeSpan idleAfter) =>
        Akka.Actor.Props.Create(() => new ShardedEntity(kind, entityId, child, snapshots, idleAfter));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex => ex switch
    {
        ActorInitializationException => Directive.Stop,
        _ => Directive.Resume, // as the local region does: a bug in one event must not erase the entity's state
    });

    private void Ready()
    {
        Receive<EntityEnvelope>(Handle);
        Receive<Passivate>(p => _region.Tell(p));
        Receive<StateDropped>(d => _region.Tell(d));
        Receive<ConfigPackage>(_ => { }); // a late answer for versions already in force
    }

    private void Handle(EntityEnvelope envelope)
    {
        var term = envelope.Term;
        _region = term.Region;
        if (term.Region.Path.Address.HasGlobalScope) _config.Crossed(); // a remote stand-in: the message came from another node
        if (term.Epoch < _epoch)
        {
            Lost(envelope.Message, $"a message of an earlier term ({term.Epoch}; this entity is in term {_epoch})", Sender);
            return;
        }
        if (term.Epoch > _epoch)
        {
            // What was built under the last term counts only as far as its checkpoints: start again from the last that counts.
            if (_entity is not null) Context.Stop(_entity);
            (_entity, _epoch, _work) = (null, term.Epoch, false);
        }
        if (envelope.Message is StopEntity)
        {
            Context.Parent.Tell(new ShardPassivate(PoisonPill.Instance));
            return;
        }
        if (term.Continuing && !_work && envelope.Message is IEntityShare or SaveState)
        {
            Lost(envelope.Message, "its state of this term is gone (its shard moved or its node stopped)", Sender);
            return;
        }
        if (term.SettingsVersion != _settingsVersion || term.ModelsVersion != _modelsVersion)
        {
            Stash.Stash();
            _config.Cache.Tell(new EntityConfigCache.Fetch(new ConfigWanted(term.SettingsVersion, term.ModelsVersion), term.Region));
            Become(Configuring);
            return;
        }
        _entity ??= Start(term.Ledger);
        _entity.Forward(envelope.Message);
        if (envelope.Message is IEntityShare or IAccountSeeds) _work = true;
    }

    private IActorRef Start(LedgerView ledger)
    {
        var entity = Context.ActorOf(_child(_settings!, new EntityStorage(_snapshots, _persistenceId, ledger, _idleAfter)));
        if (_models.Models.Count > 0) entity.Tell(new UseModels(_models));
        return entity;
    }

    private void Configuring()
    {
        Receive<ConfigPackage>(p =>
        {
            if (p.Settings is null || p.Models is null)
            {
                // The leading node no longer holds these versions: its term is over; what waits here is answered as lost.
                Become(Ready);
                Abandon("the leading node no longer holds the settings of its term");
                return;
            }
            if (p.SettingsVersion != _settingsVersion)
            {
                _settings = p.Settings;
                _entity?.Tell(new UseSettings(p.Settings));
            }
            if (p.ModelsVersion != _modelsVersion)
            {
                _models = p.Models;
                _entity?.Tell(new UseModels(p.Models));
            }
            (_settingsVersion, _modelsVersion) = (p.SettingsVersion, p.ModelsVersion);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<Passivate>(p => _region.Tell(p));
        Receive<StateDropped>(d => _region.Tell(d));
        Receive<EntityEnvelope>(e =>
        {
            if (e.Term.Epoch <= _epoch)
            {
                Stash.Stash();
                return;
            }
            // A newer term while this one's versions were being fetched: the node that was to send them may be gone.
            Become(Ready);
            Abandon("its term ended before its settings arrived");
            Handle(e);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Answers what waits here as lost (the term it belongs to is over) and forgets it.</summary>
    private void Abandon(string why)
    {
        foreach (var held in Stash.ClearStash())
            if (held.Message is EntityEnvelope e) Lost(e.Message, why, held.Sender);
    }

    private void Lost(object message, string why, IActorRef replyTo)
    {
        switch (message)
        {
            case IEntityShare share:
                _log.Warning("{0}: {1}", _persistenceId, why);
                replyTo.Tell(new PartDone(share.BatchId, share.Part, [], [], []) { Lost = true });
                break;
            case SaveState save:
                replyTo.Tell(new StateSaved(save.Id, _entityId, why) { Lost = true });
                break;
        }
    }

    protected override void PostStop() => _region.Tell(new EntityStopped(_entityId));
}
