using Akka.Actor;
using Akka.Event;
using Monitor.Actors.Sharding;
using Monitor.Actors.State;
using Monitor.Detectors;
using Monitor.Models;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// A single-node stand-in for an Akka.Cluster.Sharding region: it asks the same <see cref="EntityExtractor"/>
/// for the entity id, creates the entity's actor on first use and forwards. Entity failures resume the
/// actor with its state; a bug in one event must not erase a user's history.
/// <para>
/// With durable state it also knows which entities were touched since the last checkpoint and asks exactly
/// those to save at the next (<see cref="SaveState"/>), writing their snapshots in batches (<see cref="RegionCheckpoint"/>,
/// <see cref="IStateRows"/>); and it stops an idle, saved entity when the entity asks
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
    private readonly HashSet<string> _savedIn = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LedgerView _ledger;
    private (RegionCheckpoint Run, IActorRef? ReplyTo)? _checkpoint;
    private RegionSaved? _finished;
    private UseSettings? _settings;
    private UseModels? _models;
    private readonly string _versionPrefix = Guid.NewGuid().ToString("N")[..12];
    private readonly KeptVersions<DetectorSnapshot> _settingsKept = new();
    private readonly KeptVersions<PeerModelSet> _modelsKept = new();
    private int _versions;
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
        Receive<SavedYet>(SavedYet);
        Receive<StateSaved>(s => Answered(s.Id, s.EntityId, null, s.Error, s.Lost));
        Receive<StateToWrite>(s => Answered(s.Id, s.EntityId, s.Row, null));
        Receive<BatchWritten>(Written);
        Receive<CheckpointDone>(Done);
        Receive<Passivate>(Passivate);
        Receive<Terminated>(Stopped);
        Receive<StateDropped>(Dropped);
        Receive<UseSettings>(u =>
        {
            _settings = u with { Version = $"{_versionPrefix}.s{++_versions}" };
            _settingsKept.Add(_settings.Version, _settings.Settings);
            InForce(_settings);
        });
        Receive<UseModels>(u =>
        {
            _models = u with { Version = $"{_versionPrefix}.m{++_versions}" };
            _modelsKept.Add(_models.Version, _models.Models);
            InForce(_models);
        });
        Receive<ConfigWanted>(w => Sender.Tell(new ConfigPackage(w.SettingsVersion, _settingsKept.Find(w.SettingsVersion),
            w.ModelsVersion, w.ModelsVersion == PeerModelSet.Empty.Version ? PeerModelSet.Empty : _modelsKept.Find(w.ModelsVersion))));
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
        if (message is Akka.Cluster.Sharding.ShardRegion.StartEntity start)
        {
            // Started ahead of its first message, as Akka.Cluster.Sharding does.
            if (!_stopping.ContainsKey(start.EntityId)) Entity(start.EntityId);
            return;
        }
        if (_extractor.EntityId(message) is not { } id)
        {
            Unhandled(message); // no entity takes it: a dead letter, not a failed region
            return;
        }
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
        if (_checkpoint is { } previous) StopSaving(previous.Run.Request.Id, "a later checkpoint began");
        _savedIn.Clear();
        // The barrier: every entity touched since the last checkpoint is asked now, before anything routed later.
        var targets = _dirty.Where(_entities.ContainsKey).ToList();
        _dirty.ExceptWith(targets); // touched again from here on, an entity is dirty for the next checkpoint
        Sender.Tell(new RegionSaving(request.Id, targets.Count));
        if (targets.Count == 0)
        {
            _finished = new RegionSaved(request.Id, 0);
            return;
        }
        _checkpoint = (new RegionCheckpoint(request, targets), null);
        Advance();
    }

    private void SavedYet(SavedYet ask)
    {
        if (_checkpoint is { } c && c.Run.Request.Id == ask.Id) _checkpoint = c with { ReplyTo = Sender };
        else if (_finished is { } f && f.Id == ask.Id) Sender.Tell(f);
        else Sender.Tell(new RegionSaved(ask.Id, 0, $"checkpoint {ask.Id} is not the one this region saved last"));
    }

    private void Answered(long id, string entityId, StateRow? row, string? error, bool lost = false)
    {
        if (_checkpoint is not { } c || c.Run.Request.Id != id)
        {
            if (row is not null) Sender.Tell(new StateWritten(id, "its checkpoint ended")); // the entity stops waiting
            return;
        }
        c.Run.Answered(entityId, row, error, lost);
        if (row is null && error is null) _savedIn.Add(entityId);
        Advance();
    }

    private void Written(BatchWritten batch)
    {
        // Entities hear of the write even when their checkpoint has ended meanwhile: they stop waiting either way.
        foreach (var id in batch.Entities)
            if (_entities.TryGetValue(id, out var entity)) entity.Tell(new StateWritten(batch.Id, batch.Error));
        if (_checkpoint is not { } c || c.Run.Request.Id != batch.Id) return;
        c.Run.Written(batch.Entities, batch.Error);
        if (batch.Error is null) _savedIn.UnionWith(batch.Entities);
        Advance();
    }

    /// <summary>Asks the entities, starts the next write, or answers once the checkpoint is done here.</summary>
    private void Advance()
    {
        if (_checkpoint is not { } c) return;
        var run = c.Run;
        foreach (var id in run.ToAsk()) _entities[id].Tell(run.Request);
        if (run.TakeBatch() is { } batch)
        {
            var id = run.Request.Id;
            _storage!.Rows.WriteAsync(batch.Rows).PipeTo(Self, success: () => new BatchWritten(id, batch.Entities, null),
                failure: e => new BatchWritten(id, batch.Entities, (e is AggregateException a ? a.GetBaseException() : e).Message));
        }
        if (!run.Finished) return;
        foreach (var id in run.Unwritten)
            if (_entities.TryGetValue(id, out var entity)) entity.Tell(new StateWritten(run.Request.Id, run.Failed));
        if (run.Failed is not null) _dirty.UnionWith(run.Targets);
        Finish(c, new RegionSaved(run.Request.Id, run.Saved.Count, run.Failed) { Lost = run.Lost });
    }

    private void Finish((RegionCheckpoint Run, IActorRef? ReplyTo) c, RegionSaved result)
    {
        _checkpoint = null;
        _finished = result;
        c.ReplyTo?.Tell(result);
    }

    private void Done(CheckpointDone done)
    {
        if (done.Ok)
        {
            _ledger = done.Ledger ?? _ledger;
            // Cluster mode: an entity saved under this checkpoint and untouched since holds nothing the checkpoint
            // lacks; should its shard move now, it starts again from this snapshot instead of ending the term.
            if (_storage is { StandIns: true })
                foreach (var id in _savedIn)
                    if (!_dirty.Contains(id) && _entities.TryGetValue(id, out var standIn)) standIn.Tell(new EntityClean(_ledger));
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
        if (_checkpoint is not { } c || c.Run.Request.Id != id) return;
        _dirty.UnionWith(c.Run.Targets);
        foreach (var waiting in c.Run.Unwritten)
            if (_entities.TryGetValue(waiting, out var entity)) entity.Tell(new StateWritten(id, why));
        Finish(c, new RegionSaved(id, c.Run.Saved.Count, $"checkpoint {id} {why}"));
    }

    private void Passivate(Passivate p)
    {
        // Not while its last save is in a checkpoint not yet committed: if that checkpoint is abandoned, it must save again.
        if (_dirty.Contains(p.EntityId) || _savedIn.Contains(p.EntityId) || _checkpoint?.Run.Targets.Contains(p.EntityId) == true
            || !_entities.TryGetValue(p.EntityId, out var entity) || _stopping.ContainsKey(p.EntityId)) return;
        _stopping[p.EntityId] = [.. Config()]; // what it had: restarted, it takes these before anything held
        entity.Tell(StopEntity.Instance); // a local entity stops; a sharded one's stand-in stops once the entity has
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
public sealed record RegionStorage(IActorRef SnapshotStore, IStateRows Rows, string Kind, LedgerView Ledger, TimeSpan IdleAfter)
{
    /// <summary>Cluster mode: the region holds stand-ins (<see cref="EntityProxy"/>) for entities on other nodes.</summary>
    public bool StandIns { get; init; }
}
