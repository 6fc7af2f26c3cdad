using Akka.Actor;
using Akka.Persistence;
using Monitor.Actors.State;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// The detection graph behind one door: the coordinator and the user, branch, employee and subject regions in an actor system.
/// Kafka ingest and file replay both push batches through <see cref="ProcessAsync"/>, which is why a replay
/// gives the alerts the live run gave.
/// <para>
/// Started with <c>StartAsync</c> it keeps its state: every entity, the coordinator and the model trainer
/// continue from the last checkpoint (<see cref="CheckpointAsync"/>, an aligned checkpoint between batches, see
/// docs/architecture.md), and <see cref="Positions"/> says where the input continues.
/// </para>
/// </summary>
public sealed class DetectionGraph : IAsyncDisposable
{
    private const string CheckpointId = "monitor/checkpoint";
    private const string BegunId = "monitor/checkpoint-begun";
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Cluster mode: how long the batches in flight may go without an entity's answer before the term ends (see <see cref="DetectionCoordinator"/>).</summary>
    public static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(30);

    /// <summary>How long a start waits for the saved state before it says the store is not there.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly SqlStateRows? _rows;
    private readonly IActorRef _coordinator;
    private readonly IActorRef _trainer;
    private readonly IActorRef[] _regions;
    private readonly IActorRef? _snapshots;
    private readonly CheckpointLedger _ledger;
    private readonly SemaphoreSlim _checkpointing = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private long _nextBatch;
    private long _prepared; // a checkpoint number already recorded as begun, written after the last commit so the next barrier need not wait for the store

    private DetectionGraph(ActorSystem system, bool ownsSystem, DetectorSnapshot settings, TimeProvider clock, ModelTraining training, Durable? durable,
        Sharding.ShardedPlacement? placement = null)
    {
        StartScheduler(system);
        _system = system;
        _ownsSystem = ownsSystem;
        _snapshots = durable?.Snapshots;
        _ledger = durable?.Ledger ?? new CheckpointLedger();
        var extractor = new EntityExtractor();
        var rows = _rows = durable is { } d0 ? SqlStateRows.For(d0.Options, system) : null;
        RegionStorage? Storage(string kind) => durable is { } d ? new RegionStorage(d.Snapshots, rows!, kind, d.Ledger.View, d.Options.IdleAfter) { StandIns = placement is not null } : null;
        var epoch = durable?.Options.Epoch ?? 0;
        Func<string, EntityStorage?, Props> Entities(IActorRef? shards, Func<string, EntityStorage?, Props> local) =>
            shards is null ? local : (id, s) => Sharding.EntityProxy.Props(id, shards, epoch, s?.Ledger ?? LedgerView.Empty);
        var regions = new DetectionRegions(
            system.ActorOf(EntityRegion.Props(extractor, Entities(placement?.Users, (id, s) => EntityActor.User(id, settings, s)), Storage("user")), "users"),
            system.ActorOf(EntityRegion.Props(extractor, Entities(placement?.Branches, (id, s) => EntityActor.Branch(id, settings, s)), Storage("branch")), "branches"),
            system.ActorOf(EntityRegion.Props(extractor, Entities(placement?.Employees, (id, s) => EntityActor.Employee(id, settings, s)), Storage("employee")), "employees"),
            system.ActorOf(EntityRegion.Props(extractor, Entities(placement?.Subjects, (id, s) => EntityActor.Subjects(id, settings, s)), Storage("subjects")), "subjects"));
        _regions = [regions.Users, regions.Branches, regions.Employees, regions.Subjects];
        // Sharded entities take their settings from the region (by version), not from their Props: the first version.
        if (placement is not null) foreach (var r in _regions) r.Tell(new UseSettings(settings));
        _trainer = system.ActorOf(ModelTrainer.Props(settings.Settings.Behaviour, training, clock, durable?.Trainer), "model-trainer");
        _coordinator = system.ActorOf(DetectionCoordinator.Props(settings.Settings, clock, regions, _trainer, training.Mode, durable?.Coordinator,
            placement is null ? null : AnswerDeadline), "detection");
        Positions = durable?.Positions ?? new Dictionary<int, long>();
    }

    /// <summary>
    /// Starts the actor system's scheduler from this thread, before any entity exists. Akka.NET starts it on first
    /// use, and on .NET 6+ the first users block their pool threads until its loop runs on another pool thread:
    /// a thousand entities scheduling their first idle timeout at once took every pool thread and stalled a
    /// replay for up to 160 s while the pool grew one thread at a time (akkadotnet/akka.net#7130, #8549).
    /// </summary>
    private static void StartScheduler(ActorSystem system) => system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });

    /// <summary>Whether the state is kept (<c>StartAsync</c>) or lives in memory only (<see cref="Start"/>).</summary>
    public bool IsDurable => _snapshots is not null;

    /// <summary>The last committed checkpoint (0: none yet).</summary>
    public long Checkpoint => _ledger.Committed;

    /// <summary>The next position to read per input source (Kafka partition) as of the last committed checkpoint.</summary>
    public IReadOnlyDictionary<int, long> Positions { get; private set; }

    /// <summary>
    /// Starts the graph in <paramref name="system"/>, or in a new quiet actor system owned by the graph, with its
    /// state in memory only. <paramref name="training"/> says when the behaviour models retrain; by default at
    /// each event day, which makes a replay's alerts the same every time.
    /// </summary>
    public static DetectionGraph Start(DetectorSnapshot settings, TimeProvider clock, ActorSystem? system = null, ModelTraining? training = null)
    {
        var owns = system is null;
        system ??= ActorSystem.Create("monitor", Quiet);
        return new DetectionGraph(system, owns, settings, clock, training ?? ModelTraining.Replay, null);
    }

    /// <summary>
    /// Starts the graph with its state kept in <paramref name="state"/>: it continues from the last committed
    /// checkpoint there, or from empty state when there is none or <paramref name="fresh"/> is set. What it
    /// restored, or why it could not, is told to <paramref name="log"/> in one line.
    /// </summary>
    public static async Task<DetectionGraph> StartAsync(DetectorSnapshot settings, TimeProvider clock, StateOptions state, ModelTraining? training = null,
        bool fresh = false, Action<string>? log = null)
    {
        state.Prepare();
        var system = ActorSystem.Create("monitor", state.Setup(Quiet));
        try
        {
            return await StartAsync(system, true, settings, clock, state, training, fresh, log);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>
    /// As <see cref="StartAsync(DetectorSnapshot, TimeProvider, StateOptions, ModelTraining?, bool, Action{string}?)"/>, in an
    /// actor system someone else owns (the monitor's host), configured with <paramref name="state"/>'s snapshot store
    /// (<see cref="StateOptions.Config"/>, <see cref="StateOptions.DataSetup"/>). On a cluster node, <c>placement</c> names
    /// the shard regions the entities live in (on every node); without it the graph keeps them itself.
    /// </summary>
    public static Task<DetectionGraph> StartAsync(ActorSystem system, DetectorSnapshot settings, TimeProvider clock, StateOptions state, ModelTraining? training = null,
        bool fresh = false, Action<string>? log = null, Sharding.ShardedPlacement? placement = null) =>
        StartAsync(system, false, settings, clock, state, training, fresh, log, placement);

    private static async Task<DetectionGraph> StartAsync(ActorSystem system, bool owns, DetectorSnapshot settings, TimeProvider clock, StateOptions state, ModelTraining? training,
        bool fresh, Action<string>? log, Sharding.ShardedPlacement? placement = null)
    {
        var snapshots = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        var durable = await LoadAsync(snapshots, state, fresh, log ?? (_ => { }));
        return new DetectionGraph(system, owns, settings, clock, training ?? ModelTraining.Replay, durable, placement);
    }

    /// <summary>How the actor system the graph runs in logs: warnings and errors only, dead letters not at all.</summary>
    public static Akka.Configuration.Config ActorSystemConfig => Quiet;

    /// <remarks>
    /// Akka.NET's coordinated shutdown does not listen for SIGTERM and Ctrl+C itself (<c>run-by-clr-shutdown-hook</c>):
    /// it would stop the actor system under an ingest that still has to save the state; the command line takes the
    /// signal, stops its work first, then the host stops the system.
    /// </remarks>
    private static readonly Akka.Configuration.Config Quiet =
        Akka.Configuration.ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """);

    private static async Task<Durable> LoadAsync(IActorRef snapshots, StateOptions options, bool fresh, Action<string> log)
    {
        var ledger = new CheckpointLedger();
        var record = await LoadLatestAsync(snapshots, CheckpointId);
        var begun = await LoadLatestAsync(snapshots, BegunId);
        IReadOnlyDictionary<int, long> positions = new Dictionary<int, long>();
        byte[]? coordinator = null, trainer = null;
        if (record is not null && fresh)
        {
            log($"--fresh: starting from empty detector state; the state saved at checkpoint {record.Metadata.SequenceNr} in {options.Description} is not used");
        }
        else if (record is not null)
        {
            try
            {
                var saved = CommitRecord.Read((byte[])record.Snapshot);
                ledger = saved.Ledger;
                (positions, coordinator, trainer) = (saved.Positions, saved.Coordinator, saved.Trainer);
                log($"detector state restored from checkpoint {ledger.Committed} ({record.Metadata.Timestamp:yyyy-MM-dd HH:mm:ss} UTC) in {options.Description}");
            }
            catch (Exception e) when (e is StateFormatException or InvalidCastException)
            {
                log($"dropped the detector state saved in {options.Description} ({e.Message}); starting from empty state");
            }
        }
        // Numbers begun after the last commit (or, starting empty, every number ever used) never count and are not reused.
        ledger.Recover(Math.Max(begun?.Metadata.SequenceNr ?? 0, record?.Metadata.SequenceNr ?? 0));
        return new Durable(snapshots, options, ledger, positions, coordinator, trainer);
    }

    private static async Task<SelectedSnapshot?> LoadLatestAsync(IActorRef snapshots, string persistenceId)
    {
        object reply;
        try
        {
            reply = await snapshots.Ask<object>(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), StartTimeout);
        }
        catch (AskTimeoutException)
        {
            // E.g. a database that refuses connections: the snapshot store keeps retrying its start and never answers.
            throw new InvalidOperationException($"the state store did not answer within {StartTimeout.TotalSeconds:0} s; is the database up and reachable?");
        }
        return reply switch
        {
            LoadSnapshotResult r => r.Snapshot,
            LoadSnapshotFailed f => throw new InvalidOperationException($"cannot read the saved detector state: {f.Cause.Message}", f.Cause),
            _ => throw new InvalidOperationException($"unexpected answer from the snapshot store: {reply.GetType().Name}"),
        };
    }

    public Task<BatchProcessed> ProcessAsync(IReadOnlyList<IngestedEvent> events, CancellationToken cancellationToken = default) =>
        _coordinator.Ask<BatchProcessed>(new ProcessBatch(Interlocked.Increment(ref _nextBatch), events), TimeSpan.FromMinutes(5), cancellationToken);

    /// <summary>
    /// Seeds the state with the bank's account directory (import-accounts): each account to its user's actor
    /// (AccountStatus) and its person's actor (EmployeeAccounts), the branch hierarchy to the coordinator. No
    /// event is made up and no rule runs. Returns once every entity applied its part; call it between batches,
    /// and <see cref="CheckpointAsync"/> after it to make the seed durable.
    /// </summary>
    public async Task SeedAccountsAsync(IReadOnlyList<AccountSeed> accounts, CancellationToken ct = default)
    {
        var (users, employees) = (_regions[0], _regions[2]);
        var asks = new List<Task<AccountsSeeded>>();
        foreach (var g in accounts.GroupBy(a => a.UserId, StringComparer.Ordinal))
            asks.Add(users.Ask<AccountsSeeded>(new UserSeed(g.Key, g.ToList()), StoreTimeout, ct));
        foreach (var g in accounts.GroupBy(a => a.EmployeeId, StringComparer.Ordinal))
            asks.Add(employees.Ask<AccountsSeeded>(new EmployeeSeed(g.Key, g.ToList()), StoreTimeout, ct));
        var hierarchy = accounts.Where(a => a.ParentBranchId is not null).Select(a => (a.BranchId, a.ParentBranchId!)).Distinct().ToList();
        asks.Add(_coordinator.Ask<AccountsSeeded>(new SeedBranches(hierarchy), StoreTimeout, ct));
        await Task.WhenAll(asks);
    }

    /// <summary>
    /// Makes everything processed so far durable, with <paramref name="positions"/> (the next position per input
    /// source), in one step, and returns once it is committed: <see cref="BeginCheckpointAsync"/>, then its commit.
    /// Throws <see cref="CheckpointFailedException"/> when the store refuses a write (the state in memory is intact;
    /// try again later).
    /// </summary>
    public async Task CheckpointAsync(IReadOnlyDictionary<int, long> positions, CancellationToken ct = default) =>
        await await BeginCheckpointAsync(positions, ct);

    /// <summary>
    /// Takes a checkpoint of everything processed so far, with <paramref name="positions"/>: call it only between
    /// batches, once their outputs are published. It returns as soon as the state is taken: every entity touched
    /// since the last checkpoint has been asked to save under a new number before anything later reaches it, and the
    /// coordinator's and trainer's state is in hand. Batches may go on while the snapshots are written; the returned
    /// task completes when the commit record is written, last (or throws <see cref="CheckpointFailedException"/>,
    /// the previous checkpoint staying in force). A kill at any moment leaves the previous checkpoint in force. The
    /// next checkpoint begins only after this one is committed or failed.
    /// </summary>
    /// <param name="positions">The next position per input source.</param>
    /// <param name="ct">Cancels the taking (not the writing).</param>
    /// <param name="spread">
    /// How long entities with no new work may take to serialize their state (<see cref="SaveState.Spread"/>): a live
    /// checkpoint spreads that work instead of holding the next batches behind every touched entity at once.
    /// </param>
    public async Task<Task> BeginCheckpointAsync(IReadOnlyDictionary<int, long> positions, CancellationToken ct = default, TimeSpan spread = default)
    {
        if (_snapshots is null) return Task.CompletedTask;
        await _checkpointing.WaitAsync(ct);
        var pause = System.Diagnostics.Stopwatch.StartNew();
        var id = _prepared > _ledger.Committed && _prepared == _ledger.Begun ? _prepared : _ledger.Next();
        _prepared = 0;
        try
        {
            if (id > _ledger.Begun) await RecordBegunAsync(id, ct);
            var request = new SaveState(id, _ledger.View) { Spread = spread };
            await Task.WhenAll(_regions.Select(r => r.Ask<RegionSaving>(request, StoreTimeout, ct)));
            var regions = pause.Elapsed;
            // The coordinator and the trainer serialize at the same time (each is one actor, each on its own thread).
            var trainerAsk = _trainer.Ask<StateBytes>(GetState.Instance, StoreTimeout, ct);
            var coordinator = (await _coordinator.Ask<StateBytes>(GetState.Instance, StoreTimeout, ct)).Bytes;
            var coordinatorTaken = pause.Elapsed - regions;
            var trainer = (await trainerAsk).Bytes;
            var taken = new Dictionary<int, long>(positions);
            return CommitAsync(id, taken, coordinator, trainer, new CheckpointPause(pause.Elapsed, coordinatorTaken));
        }
        catch (Exception e)
        {
            Abandon(id);
            _checkpointing.Release();
            if (e is CheckpointFailedException or OperationCanceledException) throw;
            throw new CheckpointFailedException($"checkpoint {id}: {e.Message}", e);
        }
    }

    /// <summary>Waits for every region's snapshots, then writes the commit record; releases the next checkpoint.</summary>
    private async Task CommitAsync(long id, IReadOnlyDictionary<int, long> positions, byte[] coordinator, byte[] trainer, CheckpointPause pause)
    {
        try
        {
            // Unless abandoned (AbandonCheckpoint: their node is gone), the commit waits for every entity's snapshot.
            var saved = await Task.WhenAll(_regions.Select(r => r.Ask<RegionSaved>(new SavedYet(id), StoreTimeout, _disposing.Token)));
            if (saved.FirstOrDefault(s => s.Failed is not null) is { } failed)
            {
                var why = $"checkpoint {id}: an entity could not save its state: {failed.Failed}";
                // An entity elsewhere lost this term's state: no later checkpoint of the term could commit either.
                throw new CheckpointFailedException(why, saved.Any(s => s.Lost) ? new Sharding.EntityStateLostException(why) : null);
            }
            var committed = CommitRecord.Write(_ledger, id, positions, coordinator, trainer);
            await SaveAsync(CheckpointId, id, committed, CancellationToken.None);
            _ledger.Commit(id);
            Positions = positions;
            var done = new CheckpointDone(id, true) { Ledger = _ledger.View };
            foreach (var r in _regions) r.Tell(done);
            _snapshots!.Tell(new DeleteSnapshots(CheckpointId, new SnapshotSelectionCriteria(id - 1)));
            _snapshots.Tell(new DeleteSnapshots(BegunId, new SnapshotSelectionCriteria(id - 1)));
            LastCheckpoint = new CheckpointReport(id, saved.Sum(s => s.Saved), committed.Length) { Pause = pause };
            await PrepareNextAsync();
        }
        catch (Exception e)
        {
            Abandon(id);
            if (e is CheckpointFailedException) throw;
            throw new CheckpointFailedException($"checkpoint {id}: {e.Message}", e);
        }
        finally
        {
            _checkpointing.Release();
        }
    }

    /// <summary>The last checkpoint this process committed: its number, how many entities saved, the commit record's size.</summary>
    public CheckpointReport? LastCheckpoint { get; private set; }

    /// <summary>Records checkpoint <paramref name="id"/> as begun, durably, before any entity saves under it.</summary>
    private async Task RecordBegunAsync(long id, CancellationToken ct)
    {
        await SaveAsync(BegunId, id, new byte[] { 1 }, ct);
        _ledger.Begin(id);
    }

    /// <summary>
    /// Records the next checkpoint's number as begun now, while nothing waits, so that the next barrier holds the
    /// batches only for taking the state. A kill before that checkpoint leaves its number aborted, as any begun one.
    /// A store that refuses it costs nothing: the next checkpoint writes its own.
    /// </summary>
    private async Task PrepareNextAsync()
    {
        var next = _ledger.Next();
        try
        {
            await RecordBegunAsync(next, _disposing.Token);
            _prepared = next;
        }
        catch (Exception e) when (e is CheckpointFailedException or OperationCanceledException)
        {
        }
    }

    private void Abandon(long id)
    {
        if (_ledger.Committed >= id) return;
        _ledger.Fail(id);
        var done = new CheckpointDone(id, false) { Ledger = _ledger.View };
        foreach (var r in _regions) r.Tell(done);
    }

    /// <summary>
    /// Writes the begun or the commit record as one row in the snapshot store's table, through the same writer as the
    /// entities' snapshots (so a node that lost the lead is fenced off from these too, <see cref="PipelineEpoch"/>).
    /// </summary>
    private async Task SaveAsync(string persistenceId, long id, byte[] bytes, CancellationToken ct)
    {
        try
        {
            await _rows!.WriteAsync([new StateRow(persistenceId, id, bytes, 0)], ct);
        }
        catch (Exception e) when (e is FencedException or System.Data.Common.DbException or TimeoutException or InvalidOperationException or Akka.Actor.AskTimeoutException)
        {
            throw new CheckpointFailedException($"checkpoint {id}: the state store refused {persistenceId}: {e.Message}", e);
        }
    }

    /// <summary>Entities in memory and ever started, per kind (users, branches, employees, subject shares).</summary>
    public async Task<IReadOnlyList<RegionStats>> RegionStatsAsync() =>
        await Task.WhenAll(_regions.Select(r => r.Ask<RegionStats>(GetRegionStats.Instance, TimeSpan.FromSeconds(30))));

    /// <summary>
    /// Puts reloaded settings in force: every entity takes them between two of its messages, from the same point of
    /// the stream on (<see cref="UseSettings"/>). Settings that shape the stream itself (time zone, lateness, the
    /// redelivery horizon, the event-time guard) keep the values the graph started with until a restart.
    /// </summary>
    public void Reconfigure(DetectorSnapshot settings) => _coordinator.Tell(new UseSettings(settings));

    /// <summary>Reopens automatic suspension in a branch the safety valve stopped (an officer's decision).</summary>
    public void Reopen(string branchId) => _coordinator.Tell(new ReopenBranch(branchId));

    /// <summary>Restores the safety valve's stopped branches after a restart; call before the first batch.</summary>
    public void KeepShut(IReadOnlyList<string> branchIds) => _coordinator.Tell(new BranchesShut(branchIds));

    /// <summary>
    /// Gives up a checkpoint still waiting for its entities' snapshots (cluster mode, when a member with entities is
    /// gone: they may never answer); the previous checkpoint stays the last that counts. Call before disposing.
    /// </summary>
    public void AbandonCheckpoint() => _disposing.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _checkpointing.WaitAsync(StoreTimeout); // a checkpoint still committing finishes first (unless abandoned)
        if (_ownsSystem) await _system.Terminate();
        else
        {
            // The system goes on (a cluster node hands the pipeline over and may lead again): stop the graph's actors,
            // so that a later graph in the same system starts with its own.
            await Task.WhenAll(new[] { _coordinator, _trainer }.Concat(_regions).Select(a => a.GracefulStop(StoreTimeout).ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        _checkpointing.Dispose();
        _disposing.Dispose();
    }

    private sealed record Durable(IActorRef Snapshots, StateOptions Options, CheckpointLedger Ledger, IReadOnlyDictionary<int, long> Positions, byte[]? Coordinator, byte[]? Trainer);
}

/// <summary>A checkpoint the store refused; the state in memory is intact and the previous checkpoint stays in force.</summary>
public sealed class CheckpointFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a committed checkpoint wrote, and how long taking its state held the batches.</summary>
public sealed record CheckpointReport(long Id, int EntitiesSaved, int RecordBytes)
{
    public CheckpointPause? Pause { get; init; }
}

/// <summary>How long a checkpoint held the batches (the barrier, the entities' and coordinator's state taken), and the coordinator's share.</summary>
public sealed record CheckpointPause(TimeSpan Total, TimeSpan Coordinator);
