using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.Actors.Tests;

/// <summary>
/// The checkpoint protocol between a region, its entities and the snapshot store, on a real SQLite file:
/// what a committed checkpoint saved comes back in a new actor system; what an unfinished one saved does not.
/// </summary>
public sealed class EntityRegionStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("region-state").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_entity_continues_from_the_last_committed_checkpoint_in_a_new_system()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using (var run = await Run.StartAsync(options, LedgerView.Empty))
        {
            Assert.Equal(3, await run.FeedAsync("u1", 3));
            Assert.Equal(1, (await run.SaveAsync(1, LedgerView.Empty)).Saved);
            run.Commit(1);
            Assert.Equal(5, await run.FeedAsync("u1", 2));
            Assert.Equal(1, (await run.SaveAsync(2, new LedgerView(1, []))).Saved); // saved under 2, which never commits
        }
        await using var restarted = await Run.StartAsync(options, new LedgerView(1, [(1, 2)]));
        Assert.Equal(4, await restarted.FeedAsync("u1", 1)); // 3 from checkpoint 1, not 5 from the aborted 2
    }

    [Fact]
    public async Task A_spread_checkpoint_saves_the_state_at_its_barrier_though_the_entity_serializes_it_later()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using (var run = await Run.StartAsync(options, LedgerView.Empty))
        {
            Assert.Equal(3, await run.FeedAsync("u1", 3));
            Assert.Equal(2, await run.FeedAsync("u2", 2));
            // The barrier with a long spread: the region answers at once; u1's next events come before its state is taken,
            // u2 gets none and takes its state when the spread has run out.
            await run.BarrierAsync(1, LedgerView.Empty, spread: TimeSpan.FromSeconds(3));
            Assert.Equal(5, await run.FeedAsync("u1", 2));
            var saved = await run.SavedAsync(1);
            Assert.Equal(2, saved.Saved);
            Assert.Null(saved.Failed);
            run.Commit(1);
        }
        await using var restarted = await Run.StartAsync(options, new LedgerView(1, []));
        Assert.Equal(4, await restarted.FeedAsync("u1", 1)); // 3 at the barrier, not the 5 after it
        Assert.Equal(3, await restarted.FeedAsync("u2", 1));
    }

    [Fact]
    public async Task A_region_starts_an_entity_ahead_of_its_first_message_and_survives_a_message_no_entity_takes()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using var run = await Run.StartAsync(options, LedgerView.Empty);
        run.Tell(new Akka.Cluster.Sharding.ShardRegion.StartEntity("u7"));
        run.Tell("not for any entity");
        Assert.Equal(1, (await run.StatsAsync()).Live);
        Assert.Equal(1, await run.FeedAsync("u7", 1));
    }

    [Fact]
    public async Task Events_go_on_while_a_checkpoint_is_written_and_the_checkpoint_holds_the_state_at_its_barrier()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using (var run = await Run.StartAsync(options, LedgerView.Empty))
        {
            Assert.Equal(3, await run.FeedAsync("u1", 3));
            run.Rows.Hold(); // the database is slow
            await run.BarrierAsync(1, LedgerView.Empty);
            await run.Rows.WritingAsync();
            Assert.Equal(5, await run.FeedAsync("u1", 2)); // judged while checkpoint 1 is still being written
            run.Rows.Release();
            Assert.Equal(new RegionSaved(1, 1), await run.SavedAsync(1));
            run.Commit(1);
            Assert.Equal(new RegionSaved(2, 1), await run.SaveAsync(2, new LedgerView(1, []))); // touched after the barrier: saved at the next
            // checkpoint 2 is not committed: a restart continues from checkpoint 1
        }
        await using var restarted = await Run.StartAsync(options, new LedgerView(1, [(1, 2)]));
        Assert.Equal(4, await restarted.FeedAsync("u1", 1)); // 3 at checkpoint 1's barrier, not the 5 after it
    }

    [Fact]
    public async Task An_entity_whose_snapshot_was_never_written_because_its_checkpoint_was_abandoned_saves_at_the_next() =>
        await AbandonCheckpoint2ThenSaveAt3Async(async run =>
        {
            run.Rows.Fail = true; // the store refuses checkpoint 2's batch
            Assert.Contains("refused", (await run.SaveAsync(2, new LedgerView(1, []))).Failed);
            run.Abandon(2, new LedgerView(1, [(1, 2)]));
            run.Rows.Fail = false;
        });

    [Fact]
    public async Task An_entity_whose_save_was_still_under_way_when_its_checkpoint_was_abandoned_saves_again_at_the_next() =>
        await AbandonCheckpoint2ThenSaveAt3Async(async run =>
        {
            run.Rows.Hold();
            var abandoned = run.SaveAsync(2, new LedgerView(1, []));
            await run.Rows.WritingAsync(); // u1's snapshot under 2 is being written when a stop or a store error abandons checkpoint 2
            run.Abandon(2, new LedgerView(1, [(1, 2)]));
            Assert.NotNull((await abandoned).Failed);
            run.Rows.Release();
            await run.SavedInStoreAsync("user/u1", 2); // the write finishes after the abandon; the next checkpoint comes later
        });

    /// <summary>
    /// u1 counts 3 at committed checkpoint 1 and 5 after it; <paramref name="abandon2"/> abandons checkpoint 2 its
    /// own way; u1 must then save at checkpoint 3, and a restart continue from there with 5.
    /// </summary>
    private async Task AbandonCheckpoint2ThenSaveAt3Async(Func<Run, Task> abandon2)
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using (var run = await Run.StartAsync(options, LedgerView.Empty))
        {
            await run.FeedAsync("u1", 3);
            await run.SaveAsync(1, LedgerView.Empty);
            run.Commit(1);
            Assert.Equal(5, await run.FeedAsync("u1", 2));
            await abandon2(run);
            Assert.Equal(new RegionSaved(3, 1), await run.SaveAsync(3, new LedgerView(1, [(1, 2)])));
            run.Commit(3, new LedgerView(3, [(1, 2)]));
        }
        await using var restarted = await Run.StartAsync(options, new LedgerView(3, [(1, 2)]));
        Assert.Equal(6, await restarted.FeedAsync("u1", 1)); // 5 from checkpoint 3, not 3 from checkpoint 1
    }

    [Fact]
    public async Task Only_entities_touched_since_the_last_checkpoint_save()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using var run = await Run.StartAsync(options, LedgerView.Empty);
        await run.FeedAsync("u1", 1);
        await run.FeedAsync("u2", 1);
        Assert.Equal(2, (await run.SaveAsync(1, LedgerView.Empty)).Saved);
        run.Commit(1);
        await run.FeedAsync("u2", 1);
        Assert.Equal(1, (await run.SaveAsync(2, new LedgerView(1, []))).Saved);
    }

    [Fact]
    public async Task An_idle_saved_entity_leaves_memory_and_comes_back_with_its_state()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using var run = await Run.StartAsync(options, LedgerView.Empty, idle: TimeSpan.FromMilliseconds(200));
        await run.FeedAsync("u1", 2);
        await run.SaveAsync(1, LedgerView.Empty);
        run.Commit(1);
        await WaitUntil(async () => (await run.StatsAsync()).Live == 0);
        Assert.Equal(3, await run.FeedAsync("u1", 1));
        Assert.Equal(1, (await run.StatsAsync()).Passivated);
    }

    [Fact]
    public async Task An_idle_entity_stays_out_of_memory_when_settings_change_and_takes_them_when_it_comes_back()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using var run = await Run.StartAsync(options, LedgerView.Empty, idle: TimeSpan.FromMilliseconds(200));
        run.Tell(new UseSettings(DetectorSnapshot.Load(new DetectionSettings { Volume = new VolumeThresholds { UserDaily = 5 } })));
        Assert.Equal(5, (int)(await run.FeedReportAsync("u1", 2)).Score);
        await run.SaveAsync(1, LedgerView.Empty);
        run.Commit(1);
        await WaitUntil(async () => (await run.StatsAsync()).Live == 0);
        await Task.Delay(1000);
        Assert.Equal(1, (await run.StatsAsync()).Started); // it stays out: the settings it had do not bring it back

        run.Tell(new UseSettings(DetectorSnapshot.Load(new DetectionSettings { Volume = new VolumeThresholds { UserDaily = 7 } })));
        await Task.Delay(1000);
        Assert.Equal(1, (await run.StatsAsync()).Started); // nor does a reload

        var back = await run.FeedReportAsync("u1", 1);
        Assert.Equal(3, back.Count);
        Assert.Equal(7, (int)back.Score);
    }

    [Fact]
    public async Task A_snapshot_this_release_cannot_read_is_dropped_and_the_entity_starts_empty()
    {
        var options = StateOptions.ForStore(Path.Combine(_dir, "monitor.db"));
        await using (var run = await Run.StartAsync(options, LedgerView.Empty))
        {
            var store = Persistence.Instance.Apply(run.System).SnapshotStoreFor(null);
            var reply = await store.Ask<object>(new SaveSnapshot(new SnapshotMetadata("user/u1", 1, DateTime.UtcNow), new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }), TimeSpan.FromSeconds(30));
            Assert.IsType<SaveSnapshotSuccess>(reply);
        }
        await using var restarted = await Run.StartAsync(options, new LedgerView(1, []));
        Assert.Equal(1, await restarted.FeedAsync("u1", 1));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("condition not met in 20 s");
            await Task.Delay(50);
        }
    }

    /// <summary>One actor system with a users region of counting monitors on the state store.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly IActorRef _region;
        private long _batch;

        private Run(ActorSystem system, IActorRef region, GatedRows rows)
        {
            System = system;
            _region = region;
            Rows = rows;
        }

        public ActorSystem System { get; }

        /// <summary>The region's snapshot writes, which a test can hold or fail.</summary>
        public GatedRows Rows { get; }

        public static Task<Run> StartAsync(StateOptions options, LedgerView ledger, TimeSpan? idle = null)
        {
            var system = ActorSystem.Create("t", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(options.Config()));
            var store = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
            var rows = new GatedRows(SqlStateRows.For(options, system));
            var region = system.ActorOf(EntityRegion.Props(new EntityExtractor(), (id, s) => EntityActor.Of(c => new Counter(c), id, null, s),
                new RegionStorage(store, rows, "user", ledger, idle ?? TimeSpan.FromMinutes(10))));
            return Task.FromResult(new Run(system, region, rows));
        }

        /// <summary>Feeds <paramref name="n"/> events to a user; returns the count the entity holds afterwards.</summary>
        public async Task<int> FeedAsync(string user, int n) => (await FeedReportAsync(user, n)).Count;

        /// <summary>Feeds <paramref name="n"/> events to a user; returns the entity's report (count, and the user-daily threshold in force as its score).</summary>
        public async Task<Alert> FeedReportAsync(string user, int n)
        {
            var events = Enumerable.Range(0, n).Select(i => Ev.Query(user, at: Ev.Monday10.AddMinutes(i))).ToList();
            var done = await _region.Ask<PartDone>(new UserEvents(++_batch, 0, user, events), TimeSpan.FromSeconds(30));
            return done.Alerts[^1];
        }

        public void Tell(object message) => _region.Tell(message);

        /// <summary>Checkpoint <paramref name="id"/> in this region, as the graph runs it: the barrier, then the written result.</summary>
        public async Task<RegionSaved> SaveAsync(long id, LedgerView ledger)
        {
            await BarrierAsync(id, ledger);
            return await SavedAsync(id);
        }

        /// <summary>Checkpoint <paramref name="id"/>'s barrier: every touched entity is asked to save.</summary>
        public Task<RegionSaving> BarrierAsync(long id, LedgerView ledger, TimeSpan spread = default) =>
            _region.Ask<RegionSaving>(new SaveState(id, ledger) { Spread = spread }, TimeSpan.FromSeconds(30));

        /// <summary>Checkpoint <paramref name="id"/>'s result, once its snapshots are written.</summary>
        public Task<RegionSaved> SavedAsync(long id) => _region.Ask<RegionSaved>(new SavedYet(id), TimeSpan.FromSeconds(30));

        public void Commit(long id, LedgerView? ledger = null) => _region.Tell(new CheckpointDone(id, true) { Ledger = ledger ?? new LedgerView(id, []) });

        public void Abandon(long id, LedgerView ledger) => _region.Tell(new CheckpointDone(id, false) { Ledger = ledger });

        /// <summary>Waits until the store holds the entity's snapshot under checkpoint <paramref name="id"/>, and its answers have had time to arrive.</summary>
        public async Task SavedInStoreAsync(string persistenceId, long id)
        {
            var store = Persistence.Instance.Apply(System).SnapshotStoreFor(null);
            await WaitUntil(async () => (await store.Ask<LoadSnapshotResult>(new LoadSnapshot(persistenceId, new SnapshotSelectionCriteria(id), id), TimeSpan.FromSeconds(30))).Snapshot?.Metadata.SequenceNr == id);
            await Task.Delay(300);
        }

        public Task<RegionStats> StatsAsync() => _region.Ask<RegionStats>(GetRegionStats.Instance, TimeSpan.FromSeconds(30));

        public async ValueTask DisposeAsync() => await System.Terminate();
    }

    /// <summary>The SQL writer, with a gate a test can close (writes wait) and a switch that makes the store refuse.</summary>
    private sealed class GatedRows(IStateRows inner) : IStateRows
    {
        private TaskCompletionSource _gate = Open();
        private TaskCompletionSource _writing = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Fail { get; set; }

        /// <summary>Writes from now on wait for <see cref="Release"/>; <see cref="WritingAsync"/> waits for the next one to begin.</summary>
        public void Hold()
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => _gate.TrySetResult();

        public Task WritingAsync() => _writing.Task.WaitAsync(TimeSpan.FromSeconds(20));

        public async Task WriteAsync(IReadOnlyList<StateRow> rows, CancellationToken ct = default)
        {
            _writing.TrySetResult();
            await _gate.Task;
            if (Fail) throw new InvalidOperationException("disk full");
            await inner.WriteAsync(rows, ct);
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }

    /// <summary>Counts events; reports the count, and the user-daily threshold its actor was told, in an alert so the test can read them.</summary>
    private sealed class Counter(DetectorContext context) : IEntityMonitor
    {
        private int _count;

        public void Process(QueryLogEvent e, DetectionOutput output)
        {
            _count++;
            output.Alerts.Add(new Alert
            {
                AlertId = "count", Revision = _count, Rule = "COUNT", EntityType = "user", EntityId = e.UserId, Severity = "low", Score = context.Settings.Volume.UserDaily ?? 0, Day = "",
                EventTime = e.OccurredAt, LastEventTime = e.OccurredAt, Count = _count, Explanation = "", Evidence = [],
            });
        }

        public void Save(StateWriter w)
        {
            w.Section("Counter");
            w.Write(_count);
        }

        public void Restore(StateReader r)
        {
            r.Section("Counter");
            _count = r.ReadInt();
        }
    }
}
