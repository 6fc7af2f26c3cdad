using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Monitor.Actors.Sharding;
using Monitor.Actors.State;
using Monitor.Contracts.State;
using Monitor.Detectors;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// The actor of one entity (a user, a branch, an employee, a share of subjects): owns that entity's
/// <see cref="IEntityMonitor"/> and answers each share of a batch with what it produced. An event that throws
/// is reported as failed (and dead-lettered) instead of killing the actor's state.
/// <para>
/// With <see cref="EntityStorage"/>, the entity starts from its last snapshot that counts (see
/// <see cref="CheckpointLedger"/>), holding its first messages until it is loaded; saves its state when its
/// region asks at a checkpoint (it gives its snapshot to the region, which writes the checkpoint's snapshots in
/// batches); and, idle and saved for <see cref="EntityStorage.IdleAfter"/>, asks its region
/// to stop it. A snapshot this release cannot read is dropped with one logged line and the entity starts empty.
/// </para>
/// </summary>
public sealed class EntityActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private static readonly Lazy<DetectorSnapshot> Defaults = new(() => DetectorContext.Default().Current);

    private readonly Func<DetectorContext, IEntityMonitor> _create;
    private readonly DetectorContext _context;
    private IEntityMonitor _monitor;
    private readonly EntityStorage? _storage;
    private readonly string _entityId;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _changes;
    private long _savedChanges;
    private long _savingChanges;
    private long _saved;
    private long _changesAtLastLook = -1;
    private SaveState? _saving;
    private (SaveState Request, IActorRef ReplyTo)? _taking;

    /// <param name="create">Makes the entity's state on the actor's own view of the settings and models; called again if its snapshot is dropped.</param>
    /// <param name="entityId">The entity's id, for its region.</param>
    /// <param name="settings">The settings at start (the defaults when null); later versions come as <see cref="UseSettings"/>.</param>
    /// <param name="storage">Where its state is kept; null keeps it in memory only.</param>
    public EntityActor(Func<DetectorContext, IEntityMonitor> create, string entityId, DetectorSnapshot? settings, EntityStorage? storage)
    {
        _create = create;
        _context = new DetectorContext(settings ?? Defaults.Value, Monitor.Models.PeerModelSet.Empty);
        _monitor = create(_context);
        _entityId = entityId;
        _storage = storage;
        if (storage is null) Ready();
        else Loading();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    // Entity actors are created by the thousand: Props.Create<T>(args) avoids compiling an expression tree per actor.
    public static Props User(string userId, DetectorSnapshot settings, EntityStorage? storage = null) => Of(c => new UserMonitor(userId, c), userId, settings, storage);

    public static Props Branch(string branchId, DetectorSnapshot settings, EntityStorage? storage = null) => Of(c => new BranchMonitor(branchId, c), branchId, settings, storage);

    public static Props Employee(string employeeId, DetectorSnapshot settings, EntityStorage? storage = null) => Of(c => new EmployeeMonitor(employeeId, c), employeeId, settings, storage);

    public static Props Subjects(string share, DetectorSnapshot settings, EntityStorage? storage = null) => Of(c => new SubjectMonitor(c), share, settings, storage);

    /// <summary>An entity actor around any monitor.</summary>
    public static Props Of(Func<DetectorContext, IEntityMonitor> create, string id, DetectorSnapshot? settings, EntityStorage? storage) =>
        Props.Create<EntityActor>(create, id, settings!, storage!);

    /// <summary>An entity actor around a monitor that reads no settings (tests use small ones).</summary>
    public static Props Of(Func<IEntityMonitor> create, string id, EntityStorage? storage) => Of(_ => create(), id, null, storage);

    protected override void PreStart()
    {
        if (_storage is not { } s) return;
        if (s.Ledger.Committed == 0) BecomeReady(); // no checkpoint has ever counted: nothing to load
        else Load(s.Ledger.Committed);
    }

    private void Load(long atMost) =>
        _storage!.SnapshotStore.Tell(new LoadSnapshot(_storage.PersistenceId, new SnapshotSelectionCriteria(atMost), long.MaxValue), Self);

    private void Loading()
    {
        Receive<LoadSnapshotResult>(r =>
        {
            if (r.Snapshot is { } found)
            {
                var seq = found.Metadata.SequenceNr;
                if (!_storage!.Ledger.Counts(seq))
                {
                    Load(_storage.Ledger.Below(seq)); // saved under a checkpoint that never committed
                    return;
                }
                Restore(found.Snapshot, seq);
            }
            BecomeReady();
        });
        Receive<LoadSnapshotFailed>(f =>
        {
            // The store is away: keep the entity's messages and try again; the batch waits (its offsets are not stored).
            _log.Warning("loading the state of {0} failed, retrying in 1 s: {1}", _storage!.PersistenceId, f.Cause.Message);
            Timers.StartSingleTimer("reload", Reload.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<Reload>(_ => Load(_storage!.Ledger.Committed));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Restore(object snapshot, long seq)
    {
        try
        {
            using var r = StateReader.Open((byte[])snapshot);
            _monitor.Restore(r);
            r.End();
            _saved = seq;
        }
        catch (Exception e) when (e is StateFormatException or InvalidCastException)
        {
            Context.Parent.Tell(new StateDropped(_storage!.PersistenceId, e.Message));
            _monitor = _create(_context); // a half-restored monitor must not go on: start from a clean one
        }
    }

    private void BecomeReady()
    {
        Become(Ready);
        Stash.UnstashAll();
    }

    private void Ready()
    {
        Receive<IEntityShare>(msg =>
        {
            TakeState();
            _changes++;
            Sender.Tell(EntityWork.Run(msg, _monitor, _log));
        });
        Receive<IAccountSeeds>(msg =>
        {
            TakeState();
            foreach (var a in msg.Accounts) _monitor.Seed(a);
            _changes++;
            Sender.Tell(new AccountsSeeded(msg.Accounts.Count));
        });
        Receive<UseSettings>(u =>
        {
            TakeState();
            _context.Use(u.Settings);
        });
        Receive<UseModels>(u =>
        {
            TakeState();
            _context.Install(u.Models);
        });
        Receive<SaveState>(Save);
        Receive<TakeStateNow>(_ => TakeState());
        Receive<StateWritten>(Written);
        Receive<StopEntity>(_ => Context.Stop(Self)); // its region let it go (idle and saved)
        Receive<IdleCheck>(_ =>
        {
            // Idle for a whole period (nothing new since the last look) and saved: leave memory. One timer per
            // entity instead of a receive timeout, which Akka reschedules at every message.
            if (_changes == _changesAtLastLook && _changes == _savedChanges && _saving is null && _taking is null) Context.Parent.Tell(new Passivate(_entityId));
            _changesAtLastLook = _changes;
            Timers.StartSingleTimer("idle", IdleCheck.Instance, _storage!.IdleAfter); // a single timer re-armed: a stopped entity's periodic one kept 2 KB in the scheduler
        });
        if (_storage is { } s) Timers.StartSingleTimer("idle", IdleCheck.Instance, s.IdleAfter);
    }

    private void Save(SaveState msg)
    {
        // Clean means: nothing new since a save that counts. A save under a checkpoint that was abandoned (even one
        // that finished after the abandon) does not, so the entity saves again under this one.
        if (_storage is not { } s || (_changes == _savedChanges && (_saved == 0 || msg.Ledger.Counts(_saved))))
        {
            Sender.Tell(new StateSaved(msg.Id, _entityId));
            return;
        }
        // The state to save is the state now, at the barrier: it is serialized before anything changes it (the next
        // share, seed, settings or models), or once the spread has passed, whichever comes first.
        _taking = (msg, Sender);
        if (msg.Spread <= TimeSpan.Zero) TakeState();
        else Timers.StartSingleTimer("take", TakeStateNow.Instance, TimeSpan.FromTicks(Random.Shared.NextInt64(msg.Spread.Ticks)));
    }

    /// <summary>Serializes the state a checkpoint asked for, if one waits, and gives it to the region.</summary>
    private void TakeState()
    {
        if (_taking is not var (msg, replyTo)) return;
        _taking = null;
        Timers.Cancel("take");
        var s = _storage!;
        byte[] bytes;
        try
        {
            using var w = new StateWriter();
            _monitor.Save(w);
            bytes = w.ToArray();
        }
        catch (Exception e)
        {
            // A bug in one component's Save fails the checkpoint at once (the previous one stays in force), not after a timeout.
            _log.Error(e, "saving the state of {0} failed", s.PersistenceId);
            replyTo.Tell(new StateSaved(msg.Id, _entityId, $"{e.GetType().Name}: {e.Message}"));
            return;
        }
        _saving = msg;
        _savingChanges = _changes;
        // The last snapshot that counts stays until this checkpoint commits; older ones go when this one is written.
        var deleteBelow = _saved > 0 && msg.Ledger.Counts(_saved) ? _saved : 0;
        replyTo.Tell(new StateToWrite(msg.Id, _entityId, new StateRow(s.PersistenceId, msg.Id, bytes, deleteBelow)));
    }

    private sealed class TakeStateNow
    {
        public static readonly TakeStateNow Instance = new();
    }

    private void Written(StateWritten written)
    {
        if (_saving is not { } msg || msg.Id != written.Id) return;
        _saving = null;
        if (written.Error is not null) return;
        _saved = written.Id;
        _savedChanges = _savingChanges;
    }

    private sealed class Reload
    {
        public static readonly Reload Instance = new();
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }
}

/// <summary>The saved state of an entity could not be read by this release; the entity starts empty.</summary>
public sealed record StateDropped(string PersistenceId, string Reason);

/// <summary>The shared loop of entity actors: run every event, collect outputs, isolate failures.</summary>
internal static class EntityWork
{
    public static PartDone Run(IEntityShare share, IEntityMonitor monitor, ILoggingAdapter log)
    {
        var output = new DetectionOutput();
        List<(string, string)>? failed = null;
        foreach (var e in share.Events)
        {
            try
            {
                monitor.Process(e, output);
            }
            catch (Exception ex)
            {
                log.Error(ex, "detector failed on event {0}", e.EventId);
                (failed ??= []).Add((e.EventId, $"processing error: {ex.GetType().Name}: {ex.Message}"));
            }
        }
        if (share.End is { } end)
        {
            try
            {
                monitor.EndOfDay(end, output);
            }
            catch (Exception ex)
            {
                log.Error(ex, "detector failed closing day {0}", end.Day);
            }
        }
        return new PartDone(share.BatchId, share.Part, output.Alerts, output.Commands, failed ?? (IReadOnlyList<(string, string)>)[]) { Windows = output.Windows, Days = output.Days };
    }
}
