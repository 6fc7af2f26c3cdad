using Akka.Actor;
using Akka.Event;
using Monitor.Actors.State;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// A single-node stand-in for an Akka.Cluster.Sharding region: it asks the same <see cref="EntityExtractor"/>
/// for the entity id, creates the entity's actor on first use and forwards. Entity failures resume the
/// actor with its state; a bug in one event must not erase a user's history.
/// <para>
/// With durable state it also knows which entities were touched since the last checkpoint and asks exactly
/// those to save at the next (<see cref="SaveState"/>); and it stops an idle, saved entity when the entity asks
/// (<see cref="Passivate"/>), holding any message that arrives meanwhile and starting the entity again for it.
/// </para>
/// <para>
/// Settings and models in force (<see cref="UseSettings"/>, <see cref="UseModels"/>) go to every entity it holds,
/// and first to every entity it starts; an entity started again after passivation gets the versions it had
/// when it stopped, then what it missed, in order.
/// </para>
/// </summary>
public sealed class EntityRegion : ReceiveActor
{
    private readonly EntityExtractor _extractor;
    private readonly Func<string, EntityStorage?, Props> _entityProps;
    private readonly RegionStorage? _storage;
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _ids = [];
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _stopping = new(StringComparer.Ordinal);
    private readonly List<string> _savedIn = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LedgerView _ledger;
    private (SaveState Request, IActorRef ReplyTo, int Remaining, int Saved, string? Failed)? _checkpoint;
    private readonly Queue<string> _toSave = new();
    private UseSettings? _settings;
    private UseModels? _models;

    /// <summary>Entities saving at once: a checkpoint of thousands must not open thousands of database connections.</summary>
    private const int SavesInFlight = 8;
    private long _started;
    private long _passivated;
    private int _dropped;

    public EntityRegion(EntityExtractor extractor, Func<string, EntityStorage?, Props> entityProps, RegionStorage? storage)
    {
        _extractor = extractor;
        _entityProps = entityProps;
        _storage = storage;
        _ledger = storage?.Ledger ?? LedgerView.Empty;
        Receive<SaveState>(Checkpoint);
        Receive<StateSaved>(Saved);
        Receive<CheckpointDone>(Done);
        Receive<Passivate>(Passivate);
        Receive<Terminated>(Stopped);
        Receive<StateDropped>(Dropped);
        Receive<UseSettings>(u =>
        {
            _settings = u;
            InForce(u);
        });
        Receive<UseModels>(u =>
        {
            _models = u;
            InForce(u);
        });
        Receive<GetRegionStats>(_ => Sender.Tell(new RegionStats(_entities.Count, _started, _passivated)));
        ReceiveAny(Route);
    }

    public static Props Props(EntityExtractor extractor, Func<string, Props> entityProps) =>
        Akka.Actor.Props.Create(() => new EntityRegion(extractor, (id, _) => entityProps(id), null));

    public static Props Props(EntityExtractor extractor, Func<string, EntityStorage?, Props> entityProps, RegionStorage? storage) =>
        Akka.Actor.Props.Create(() => new EntityRegion(extractor, entityProps, storage));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex => ex switch
    {
        ActorInitializationException => Directive.Stop,
        _ => Directive.Resume,
    });

    private void Route(object message)
    {
        var id = _extractor.EntityId(message);
        var inner = _extractor.EntityMessage(message)!;
        if (_stopping.TryGetValue(id, out var held))
        {
            held.Add((inner, Sender));
            return;
        }
        Entity(id).Forward(inner);
        if (_storage is not null) _dirty.Add(id);
    }

    private IActorRef Entity(string id)
    {
        if (_entities.TryGetValue(id, out var entity)) return entity;
        var storage = _storage is { } s ? new EntityStorage(s.SnapshotStore, $"{s.Kind}/{id}", _ledger, s.IdleAfter) : null;
        entity = Context.ActorOf(_entityProps(id, storage), Uri.EscapeDataString(id));
        _entities[id] = entity;
        _ids[entity] = id;
        _started++;
        foreach (var (config, _) in Config()) entity.Tell(config);
        if (_storage is not null) Context.Watch(entity);
        return entity;
    }

    private void Checkpoint(SaveState request)
    {
        if (_checkpoint is { } previous) StopSaving(previous.Request.Id, "a later checkpoint began");
        _savedIn.Clear();
        var targets = _dirty.Where(_entities.ContainsKey).ToList();
        if (targets.Count == 0)
        {
            Sender.Tell(new RegionSaved(request.Id, 0));
            return;
        }
        _checkpoint = (request, Sender, targets.Count, 0, null);
        _toSave.Clear();
        foreach (var id in targets) _toSave.Enqueue(id);
        for (var i = 0; i < SavesInFlight && _toSave.Count > 0; i++) _entities[_toSave.Dequeue()].Tell(request);
    }

    private void Saved(StateSaved saved)
    {
        if (_checkpoint is not { } c || c.Request.Id != saved.Id) return;
        var failed = c.Failed;
        var count = c.Saved;
        if (saved.Error is null)
        {
            _dirty.Remove(saved.EntityId);
            _savedIn.Add(saved.EntityId);
            count++;
        }
        else
        {
            failed ??= $"{saved.EntityId}: {saved.Error}";
        }
        if (c.Remaining > 1)
        {
            _checkpoint = c with { Remaining = c.Remaining - 1, Saved = count, Failed = failed };
            if (_toSave.TryDequeue(out var next)) _entities[next].Tell(c.Request);
            return;
        }
        _checkpoint = null;
        c.ReplyTo.Tell(new RegionSaved(c.Request.Id, count, failed));
    }

    private void Done(CheckpointDone done)
    {
        if (done.Ok)
        {
            _ledger = done.Ledger ?? _ledger;
            _savedIn.Clear();
            return;
        }
        // Not committed: what was saved under it does not count, so those entities are unsaved again; entities
        // still saving for it stay unsaved (their answers no longer match a checkpoint), and the rest are not asked.
        StopSaving(done.Id, "abandoned");
        _ledger = done.Ledger ?? _ledger;
    }

    /// <summary>Ends checkpoint <paramref name="id"/> here without it counting: whoever waits for it hears why.</summary>
    private void StopSaving(long id, string why)
    {
        _dirty.UnionWith(_savedIn);
        _savedIn.Clear();
        if (_checkpoint is not { } c || c.Request.Id != id) return;
        _checkpoint = null;
        _toSave.Clear();
        c.ReplyTo.Tell(new RegionSaved(id, c.Saved, $"checkpoint {id} {why}"));
    }

    private void Passivate(Passivate p)
    {
        if (_dirty.Contains(p.EntityId) || !_entities.TryGetValue(p.EntityId, out var entity) || _stopping.ContainsKey(p.EntityId)) return;
        _stopping[p.EntityId] = [.. Config()]; // what it had: restarted, it takes these before anything held
        Context.Stop(entity);
    }

    private void Stopped(Terminated t)
    {
        if (!_ids.Remove(t.ActorRef, out var id)) return;
        _entities.Remove(id);
        _passivated++;
        if (!_stopping.Remove(id, out var held)) return;
        // Only work brings the entity back: settings and models alone wait for its next start, which gets them first.
        if (held.TrueForAll(h => h.Message is UseSettings or UseModels)) return;
        foreach (var (message, sender) in held)
        {
            Entity(id).Tell(message, sender);
            if (message is not (UseSettings or UseModels)) _dirty.Add(id);
        }
    }

    /// <summary>The versions of settings and models in force here, as messages for an entity.</summary>
    private IEnumerable<(object, IActorRef)> Config()
    {
        if (_settings is not null) yield return (_settings, ActorRefs.Nobody);
        if (_models is not null) yield return (_models, ActorRefs.Nobody);
    }

    /// <summary>A new version for every entity: those held now, and those stopping (after what they hold).</summary>
    private void InForce(object config)
    {
        foreach (var (id, entity) in _entities)
            if (!_stopping.ContainsKey(id)) entity.Tell(config);
        foreach (var held in _stopping.Values) held.Add((config, ActorRefs.Nobody));
    }

    private void Dropped(StateDropped d)
    {
        if (_dropped++ == 0)
            _log.Warning("dropped the saved state of {0} and of every other entity this release cannot read ({1}); they start empty", d.PersistenceId, d.Reason);
    }
}

/// <summary>Where a region's entities keep their state: the snapshot store, their kind (the persistence id's prefix), the ledger at start.</summary>
public sealed record RegionStorage(IActorRef SnapshotStore, string Kind, LedgerView Ledger, TimeSpan IdleAfter);
