using System.Text;
using Confluent.Kafka;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Messages;

namespace Monitor.Ingest;

/// <summary>
/// The live path: consumes <c>credit.query-log</c> in a consumer group, sends bad messages to the dead-letter
/// topic with the original bytes and the reason, runs the rest through the detection graph, publishes alerts
/// and commands, and only then stores the batch's offsets (at-least-once; redeliveries are recognised by
/// eventId in the graph). Partitions are kept within <see cref="KafkaOptions.MaxPartitionSkew"/> of each other in
/// event time (<see cref="PartitionAligner{T}"/>). Fatal Kafka errors stop the loop; shutdown closes the consumer cleanly.
/// <para>
/// What must not stop it: brokers that cannot be reached (one summary line per 30 s, <see cref="Readiness"/>
/// says "kafka" until the consumer has partitions or the brokers answer metadata); a dead letter the
/// dead-letter topic does not take (counted, logged, its offset stored); a store that refuses the batch's
/// outputs (<see cref="StoreRetry"/>: consumption is held, the batch retried with backoff, nothing of it
/// acknowledged meanwhile, "store" in <see cref="Readiness"/>).
/// </para>
/// </summary>
public sealed class KafkaIngest(KafkaOptions options, DetectionGraph graph, Action<string>? log = null, TimeProvider? clock = null)
{
    /// <summary>The readiness condition set while the brokers cannot be reached.</summary>
    public const string KafkaCondition = "kafka";

    private static readonly TimeSpan LogPeriod = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Action<string> _log = log ?? (_ => { });
    private readonly ErrorDigest _kafkaErrors = new(KafkaCondition, LogPeriod, clock ?? TimeProvider.System, log ?? (_ => { }));
    private readonly ErrorDigest _deadLetterErrors = new("dead letters", LogPeriod, clock ?? TimeProvider.System, log ?? (_ => { }));
    private readonly Lock _kafkaState = new();
    private readonly Queue<ConsumeResult<string?, byte[]>> _stash = new();
    private readonly HashSet<int> _halted = [];
    private bool _connected;
    private Exception? _fatal;
    private IConsumer<string?, byte[]>? _consumer;
    private PartitionAligner<Consumed>? _aligner;
    private StoreRetry? _storeRetry;

    public PipelineStats Stats { get; } = new();

    /// <summary>Where outputs are recorded before they are published (the alert store); null publishes every command.</summary>
    public IOutputLedger? Ledger { get; init; }

    /// <summary>Why the pipeline is not ready: "kafka" while the brokers cannot be reached, "store" while the store refuses a batch.</summary>
    /// <remarks>
    /// The ingest is "kafka: connecting" from the moment it is wired to a readiness, not only once
    /// <see cref="RunAsync"/> has started: the service marks its pipeline running just before it calls that, and
    /// <c>/ready</c> must not answer 200 in between.
    /// </remarks>
    public ReadinessState Readiness
    {
        get => _readiness;
        init
        {
            _readiness = value;
            Connecting();
        }
    }

    private readonly ReadinessState _readiness = new();

    /// <summary>The pauses between attempts to record a batch in a failing store (1 s doubling to 30 s by default).</summary>
    public (TimeSpan First, TimeSpan Max) StoreBackoff { get; init; } = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    public event Action<BatchReport>? BatchPublished;

    /// <summary>
    /// A candidate flown beside the live settings: each batch's accepted events are offered to it once the live graph has
    /// taken them; the offer never waits (a lagging flight drops and counts, <see cref="FlightRunner.Offer"/>).
    /// </summary>
    public FlightRunner? Flight { get; init; }

    /// <summary>
    /// How often the detector state is checkpointed with the consumed positions, between batches, when the graph
    /// keeps its state (<see cref="DetectionGraph.IsDurable"/>); also when the input is caught up and at a stop.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a stop between batches takes a last checkpoint (yes, normally). A cluster node whose term ends because a
    /// member left or became unreachable sets it to false: the state of entities on that member may be gone, and the
    /// next term begins from the last checkpoint that counts.
    /// </summary>
    public bool CheckpointOnStop { get; set; } = true;

    private readonly Dictionary<int, long> _next = [];
    private readonly HashSet<int> _atEnd = [];
    private readonly HashSet<int> _assigned = [];
    private bool _batchComplete = true;
    private bool _caughtUp;
    private long _sinceCheckpoint;

    public async Task RunAsync(CancellationToken ct)
    {
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoOffsetStore = false,
            // With durable state the positions live in the monitor's checkpoints, not in the group (docs/architecture.md).
            EnableAutoCommit = !graph.IsDurable,
            AutoCommitIntervalMs = 1000,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            AllowAutoCreateTopics = true,
            MessageMaxBytes = Math.Max(options.MaxMessageBytes * 4, 1_000_000),
            EnablePartitionEof = true,
            FetchWaitMaxMs = options.FetchWaitMaxMs,
        };
        foreach (var (key, value) in options.ConsumerProperties) consumerConfig.Set(key, value);
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            // Outputs wait for the brokers however long they are away (the batch's offsets wait with them);
            // librdkafka's default of 5 min would fail the batch and stop the service during a long outage.
            MessageTimeoutMs = 0,
        };
        Connecting(); // for an ingest on its own readiness too, and on a second run
        _storeRetry = new StoreRetry(Readiness, Stats, _log, _clock) { FirstDelay = StoreBackoff.First, MaxDelay = StoreBackoff.Max };
        var aligner = _aligner = new PartitionAligner<Consumed>(options.MaxPartitionSkew, options.PartitionIdleAfter, _clock);
        using var producer = new ProducerBuilder<string, byte[]>(producerConfig)
            .SetErrorHandler((_, e) => KafkaError(e))
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Error) _kafkaErrors.Report(KafkaErrorText.Short(m.Message)); })
            .Build();
        using var consumer = _consumer = new ConsumerBuilder<string?, byte[]>(consumerConfig)
            .SetErrorHandler((_, e) => KafkaError(e))
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Error) _kafkaErrors.Report(KafkaErrorText.Short(m.Message)); })
            .SetPartitionsAssignedHandler((_, parts) =>
            {
                aligner.Assign(parts.Select(p => p.Partition.Value));
                if (parts.Count > 0) Connected();
            })
            .SetPartitionsRevokedHandler((c, parts) =>
            {
                foreach (var p in parts) _halted.Remove(p.Partition.Value); // re-assigned during a store hold, it is paused again
                Resume(c, aligner.Revoke(parts.Select(p => p.Partition.Value)));
            })
            .SetPartitionsLostHandler((c, parts) =>
            {
                foreach (var p in parts) _halted.Remove(p.Partition.Value);
                aligner.Revoke(parts.Select(p => p.Partition.Value));
            })
            .Build();
        if (Ledger is not null && !await SendUnconfirmedAsync(_clock.GetUtcNow(), consumerConfig, producer, ct)) return;
        if (!graph.IsDurable) consumer.Subscribe(options.InputTopic);
        else foreach (var (p, o) in graph.Positions) _next[p] = o;
        // One admin client for the run, for metadata (the probe, new partitions), instead of one made and disposed
        // (a thread started and joined) at every partition check.
        var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        using var probeStop = new CancellationTokenSource();
        var probe = Task.Run(() => ProbeAsync(admin, probeStop.Token), CancellationToken.None);
        try
        {
            var batch = new List<Consumed>(options.BatchSize);
            var resume = new List<int>();
            var nextLag = DateTime.UtcNow;
            var nextPartitionCheck = DateTime.UtcNow;
            var lastCheckpoint = DateTime.UtcNow;
            while (!ct.IsCancellationRequested && _fatal is null && _stateLost is null)
            {
                if (graph.IsDurable && Interlocked.Exchange(ref _holdAsked, null) is { } hold)
                {
                    var committed = await CheckpointAsync(ct);
                    hold.Checkpointed.TrySetResult(committed);
                    if (_stateLost is not null) break;
                    try
                    {
                        await hold.Release.WaitAsync(hold.AtMost, ct);
                    }
                    catch (TimeoutException)
                    {
                    }
                    if (committed) lastCheckpoint = DateTime.UtcNow;
                }
                if (graph.IsDurable && DateTime.UtcNow >= nextPartitionCheck)
                {
                    nextPartitionCheck = DateTime.UtcNow + (AssignNew(consumer, admin, aligner) ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(1));
                }
                batch.Clear();
                _kafkaErrors.Tick();
                _deadLetterErrors.Tick();
                var deadline = DateTime.UtcNow + options.BatchWait;
                while (batch.Count < options.BatchSize)
                {
                    var left = deadline - DateTime.UtcNow;
                    ConsumeResult<string?, byte[]>? r;
                    try
                    {
                        // The first event may be waited for; after it, only what has already arrived joins the batch.
                        var wait = batch.Count == 0 && left > TimeSpan.Zero ? left : TimeSpan.Zero;
                        r = _stash.Count > 0 ? Unstash(consumer) : consumer.Consume(wait);
                    }
                    catch (ConsumeException e) when (!e.Error.IsFatal)
                    {
                        // E.g. the topic does not exist yet; librdkafka retries by itself.
                        KafkaError(e.Error);
                        break;
                    }
                    if (r is null)
                    {
                        if (_stash.Count > 0) continue;
                        // Nothing new: what waited for a partition that has since gone quiet (idle, or at its end) goes now.
                        resume.Clear();
                        foreach (var (_, held) in aligner.Release(resume)) batch.Add(held);
                        Resume(consumer, resume);
                        break;
                    }
                    if (r.IsPartitionEOF)
                    {
                        aligner.AtEnd(r.Partition.Value);
                        _atEnd.Add(r.Partition.Value);
                    }
                    else
                    {
                        _atEnd.Remove(r.Partition.Value);
                        _caughtUp = false;
                        var item = Parse(r);
                        if (aligner.Admit(r.Partition.Value, item.Event?.OccurredAt, item, out var pause)) batch.Add(item);
                        else if (pause) consumer.Pause([r.TopicPartition]);
                    }
                    resume.Clear();
                    foreach (var (_, held) in aligner.Release(resume)) batch.Add(held);
                    Resume(consumer, resume);
                }
                if (DateTime.UtcNow >= nextLag) nextLag = CheckLag(consumer);
                if (batch.Count == 0)
                {
                    if (CaughtUpNow()) _log($"caught up with {options.InputTopic}: {Stats.Events} events read, every partition at its end");
                    // Quiet for a while: save what was read since the last checkpoint. Not at every moment the consumer
                    // is at the partitions' end (under steady traffic it often is, for milliseconds), because this
                    // checkpoint waits for its commit and would hold the next events for the database's write.
                    if (_caughtUp && graph.IsDurable && (_sinceCheckpoint > 0 || _uncommitted) && DateTime.UtcNow - _caughtUpAt >= QuietCheckpointAfter
                        && await CheckpointAsync(ct)) lastCheckpoint = DateTime.UtcNow;
                    continue;
                }
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                _batchComplete = false;
                var latest = await ProcessAsync(batch, producer, ct);
                _batchComplete = true;
                Stats.RecordBatch(System.Diagnostics.Stopwatch.GetElapsedTime(started), latest);
                foreach (var item in batch)
                {
                    if (graph.IsDurable)
                    {
                        _next[item.Result.Partition.Value] = item.Result.Offset.Value + 1;
                        continue;
                    }
                    try
                    {
                        consumer.StoreOffset(item.Result);
                    }
                    catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
                    {
                        // The partition was revoked meanwhile; its new owner re-reads it and recognises what we did.
                    }
                }
                _sinceCheckpoint += batch.Count;
                if (graph.IsDurable && DateTime.UtcNow - lastCheckpoint >= CheckpointInterval && await BeginCheckpointAsync(ct)) lastCheckpoint = DateTime.UtcNow;
            }
        }
        catch (ConsumeException e) when (e.Error.IsFatal)
        {
            _fatal = e;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await probeStop.CancelAsync();
            await probe;
            await Release(admin);
            producer.Flush(TimeSpan.FromSeconds(10));
            // A stop between batches saves everything; one in the middle of a batch keeps the last checkpoint (the
            // batch's outputs may not have gone out, so it is read again after the restart).
            if (graph.IsDurable && CheckpointOnStop && _batchComplete && _fatal is null && _stateLost is null && (_sinceCheckpoint > 0 || _uncommitted)) await CheckpointAsync(CancellationToken.None);
            consumer.Close();
            Interlocked.Exchange(ref _holdAsked, null)?.Checkpointed.TrySetResult(false); // no batch follows here to hold
        }
        if (_fatal is not null) throw new InvalidOperationException("fatal Kafka error, consumer stopped: " + _fatal.Message, _fatal);
        if (_stateLost is not null) throw _stateLost;
    }

    /// <summary>
    /// Durable mode: assigns the input topic's partitions not yet assigned, each at the position of the last committed
    /// checkpoint (from its beginning when the checkpoint has none). False while the topic does not exist yet.
    /// </summary>
    private bool AssignNew(IConsumer<string?, byte[]> consumer, IAdminClient admin, PartitionAligner<Consumed> aligner)
    {
        List<int> partitions;
        try
        {
            var topic = admin.GetMetadata(options.InputTopic, TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == options.InputTopic);
            if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0) return false;
            partitions = topic.Partitions.Select(p => p.PartitionId).Where(p => !_assigned.Contains(p)).Order().ToList();
        }
        catch (KafkaException e)
        {
            KafkaError(e.Error);
            return false;
        }
        if (partitions.Count == 0) return true;
        var marks = new Dictionary<int, WatermarkOffsets>();
        foreach (var p in partitions)
        {
            try
            {
                marks[p] = consumer.QueryWatermarkOffsets(new TopicPartition(options.InputTopic, p), TimeSpan.FromSeconds(5));
            }
            catch (KafkaException)
            {
                // Unknown for now: the partition's first fetch or 30 s of silence tell.
            }
        }
        // A checkpoint older than what the brokers keep: its next events are gone. Said, never skipped in silence
        // (the consumer would jump to the oldest offset kept and the monitor would judge as if they never happened).
        foreach (var p in partitions)
        {
            if (!_next.TryGetValue(p, out var at) || !marks.TryGetValue(p, out var m) || at >= m.Low.Value) continue;
            Stats.RecordRetentionLoss(m.Low.Value - at);
            _log($"events lost on {options.InputTopic} partition {p}: offsets {at} to {m.Low.Value - 1} ({m.Low.Value - at} events) were deleted by the brokers' retention before this monitor read them (its last checkpoint is older than the topic keeps); reading on from offset {m.Low.Value}");
            _next[p] = m.Low.Value;
        }
        consumer.IncrementalAssign(partitions.Select(p => new TopicPartitionOffset(options.InputTopic, p, _next.TryGetValue(p, out var o) ? new Offset(o) : Offset.Beginning)));
        foreach (var p in partitions) _assigned.Add(p);
        aligner.Assign(partitions);
        foreach (var (p, m) in marks)
        {
            // A partition restored at its end delivers nothing and may never say so: it must not hold the others back.
            var high = m.High.Value;
            if (_next.TryGetValue(p, out var at) ? at >= high : high == 0)
            {
                aligner.AtEnd(p);
                _atEnd.Add(p);
            }
        }
        Connected();
        return true;
    }

    /// <summary>
    /// Before anything is consumed: the commands an earlier run recorded but never saw confirmed are looked for on the
    /// commands topic (<see cref="UnconfirmedCommands"/>); those found are marked sent, the others are sent now. Until
    /// that is done nothing is consumed, so a redelivered batch cannot send them a second time. False when stopped first.
    /// </summary>
    private async Task<bool> SendUnconfirmedAsync(DateTimeOffset startedAt, ConsumerConfig connection, IProducer<string, byte[]> producer, CancellationToken ct)
    {
        Func<TimeSpan, Task> wait = d => Task.Delay(d, ct);
        var unconfirmed = await _storeRetry!.RunAsync("reading the commands never confirmed sent", () => Ledger!.UnconfirmedAsync(startedAt, ct), wait, ct);
        if (unconfirmed.Count == 0) return true;
        var ids = unconfirmed.Select(u => u.Command.CommandId).ToHashSet(StringComparer.Ordinal);
        HashSet<string>? found = null;
        while (found is null)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                found = UnconfirmedCommands.FindOnTopic(connection, options.CommandsTopic, ids, unconfirmed.Min(u => u.RecordedAt), TimeSpan.FromMinutes(2));
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                _kafkaErrors.Report($"looking for {ids.Count} unconfirmed commands on {options.CommandsTopic}: {KafkaErrorText.Short(e.Message)}");
                _kafkaErrors.Tick();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }
        var already = unconfirmed.Where(u => found.Contains(u.Command.CommandId)).Select(u => u.Command).ToList();
        var resend = unconfirmed.Where(u => !found.Contains(u.Command.CommandId)).Select(u => u.Command).ToList();
        foreach (var c in resend)
            producer.Produce(options.CommandsTopic, new Message<string, byte[]> { Key = c.UserId, Value = OutputJson.SerializeToUtf8(c) }, Fail);
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0)
        {
            if (ct.IsCancellationRequested) return false;
            _kafkaErrors.Report("waiting for the brokers to acknowledge the commands never confirmed sent");
            _kafkaErrors.Tick();
        }
        if (_deliveryError is { } err) throw new InvalidOperationException("publishing outputs failed: " + err);
        await _storeRetry.RunAsync("marking the unconfirmed commands sent", async () => { await Ledger!.SentAsync([.. already, .. resend], ct); return true; }, wait, ct);
        Stats.Record(0, 0, 0, 0, resend.Count);
        _log($"{unconfirmed.Count} commands recorded before the restart had no confirmation: {already.Count} were already on {options.CommandsTopic} (marked sent), {resend.Count} sent now");
        return true;
    }

    /// <summary>Whether every assigned partition has just been read to its end (true once per catching up).</summary>
    /// <summary>How long the consumer must have been at every partition's end, with nothing new, before it checkpoints (durable mode).</summary>
    public static readonly TimeSpan QuietCheckpointAfter = TimeSpan.FromSeconds(1);

    private DateTime _caughtUpAt;

    private bool CaughtUpNow()
    {
        if (_caughtUp || _assigned.Count == 0 || !_assigned.IsSubsetOf(_atEnd)) return false;
        _caughtUpAt = DateTime.UtcNow;
        return _caughtUp = true;
    }

    /// <summary>
    /// Between two batches: takes a checkpoint and waits for it to commit, then holds the next batch until
    /// <paramref name="release"/> completes or <paramref name="atMost"/> has passed. Cluster mode, before a member leaves:
    /// every entity is then saved under a committed checkpoint and gets no work while its shard moves, so it starts on
    /// its next node from that snapshot and the term goes on. True once the checkpoint committed; false when it failed.
    /// </summary>
    public Task<bool> CheckpointAndHoldAsync(Task release, TimeSpan atMost)
    {
        var hold = new HoldRequest(release, atMost);
        Interlocked.Exchange(ref _holdAsked, hold)?.Checkpointed.TrySetResult(false); // one at a time: the newer replaces
        return hold.Checkpointed.Task;
    }

    private HoldRequest? _holdAsked;

    private sealed record HoldRequest(Task Release, TimeSpan AtMost)
    {
        public TaskCompletionSource<bool> Checkpointed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Saves the detector state with the positions after the last batch; a failure is logged and tried again next time.</summary>
    private async Task<bool> CheckpointAsync(CancellationToken ct)
    {
        try
        {
            await graph.CheckpointAsync(new Dictionary<int, long>(_next), ct);
            _sinceCheckpoint = 0;
            _uncommitted = false;
            return true;
        }
        catch (CheckpointFailedException e)
        {
            CheckpointFailed(e);
            return false;
        }
    }

    /// <summary>
    /// A periodic checkpoint: it returns once the state is taken and the next batch may go; its snapshots and commit
    /// record are written meanwhile (<see cref="DetectionGraph.BeginCheckpointAsync"/>). Only the taking holds the
    /// batches, so an event arriving during a checkpoint is not held up by the database.
    /// </summary>
    private async Task<bool> BeginCheckpointAsync(CancellationToken ct)
    {
        try
        {
            // Entities without new work serialize within a quarter of the interval (at most 2 s), not all at the barrier.
            var spread = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, CheckpointInterval.Ticks / 4));
            var committed = await graph.BeginCheckpointAsync(new Dictionary<int, long>(_next), ct, spread);
            _sinceCheckpoint = 0;
            _ = committed.ContinueWith(t => CheckpointFailed(t.Exception!.GetBaseException()), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return true;
        }
        catch (CheckpointFailedException e)
        {
            CheckpointFailed(e);
            return false;
        }
    }

    private void CheckpointFailed(Exception e)
    {
        if (e.GetBaseException() is Monitor.Actors.Sharding.EntityStateLostException lost)
        {
            // Cluster mode: an entity elsewhere lost this term's state; no checkpoint of this term can commit, so the term ends.
            _stateLost = lost;
            return;
        }
        _uncommitted = true; // what it covered is covered by none: the stop's checkpoint must run
        _log($"the detector state could not be saved ({e.Message}); consumption goes on, the next checkpoint tries again");
    }

    private volatile bool _uncommitted;
    private volatile Monitor.Actors.Sharding.EntityStateLostException? _stateLost;

    /// <summary>An error from a Kafka client: fatal ones stop the loop; the rest go into one summary line per period.</summary>
    private void KafkaError(Error e)
    {
        if (e.IsFatal)
        {
            _fatal ??= new KafkaException(e);
            return;
        }
        var text = KafkaErrorText.Short(e.Reason);
        if (KafkaErrorText.IsUnreachable(e))
        {
            lock (_kafkaState)
            {
                // All brokers down makes the monitor not ready; a single connection failing only sharpens the reason while it is.
                if (e.Code == ErrorCode.Local_AllBrokersDown) _connected = false;
                if (!_connected) Readiness.Set(KafkaCondition, e.Code == ErrorCode.Local_AllBrokersDown ? $"{options.BootstrapServers}: {text}" : text);
            }
        }
        _kafkaErrors.Report(text);
    }

    private void Connecting() => _readiness.Set(KafkaCondition, $"connecting to {options.BootstrapServers}");

    /// <summary>The brokers answered (an assignment, or metadata).</summary>
    private void Connected()
    {
        lock (_kafkaState)
        {
            if (_connected) return;
            _connected = true;
            Readiness.Clear(KafkaCondition);
        }
        _kafkaErrors.Recovered($"connected to {options.BootstrapServers}");
    }

    /// <summary>
    /// Disposes the run's admin client, waiting at most 5 s: its Dispose joins its poll thread (a background thread,
    /// which ends with the process anyway), and the stop must not depend on it.
    /// </summary>
    private static async Task Release(IAdminClient admin)
    {
        try
        {
            await Task.Run(admin.Dispose).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Asks the brokers for metadata every second while they have not answered; a consumer without partitions is ready once they do.</summary>
    private async Task ProbeAsync(IAdminClient admin, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            bool connected;
            lock (_kafkaState) connected = _connected;
            if (!connected)
            {
                try
                {
                    if (admin.GetMetadata(TimeSpan.FromSeconds(2)).Brokers.Count > 0) Connected();
                }
                catch (KafkaException)
                {
                    // Still unreachable: the clients' errors say why.
                }
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A message taken while consumption was held for the store; null when its partition was revoked meanwhile.</summary>
    private ConsumeResult<string?, byte[]>? Unstash(IConsumer<string?, byte[]> consumer)
    {
        var r = _stash.Dequeue();
        return consumer.Assignment.Contains(r.TopicPartition) ? r : null;
    }

    /// <summary>
    /// Holds consumption for <paramref name="delay"/> while the store fails: every assigned partition is paused, and the
    /// consumer is still polled so it keeps its place in the group; a message that arrives anyway (a partition
    /// assigned meanwhile) is kept for after the hold and its partition paused.
    /// </summary>
    private async Task HoldAsync(TimeSpan delay, CancellationToken ct)
    {
        var consumer = _consumer!;
        var until = DateTime.UtcNow + delay;
        do
        {
            ct.ThrowIfCancellationRequested();
            if (_fatal is { } fatal) throw new InvalidOperationException("fatal Kafka error, consumer stopped: " + fatal.Message, fatal);
            var pause = consumer.Assignment.Where(tp => _halted.Add(tp.Partition.Value)).ToList();
            if (pause.Count > 0) consumer.Pause(pause);
            try
            {
                var left = Math.Clamp((until - DateTime.UtcNow).TotalMilliseconds, 0, 200);
                if (consumer.Consume(TimeSpan.FromMilliseconds(left)) is { } r) _stash.Enqueue(r);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                KafkaError(e.Error);
            }
            _kafkaErrors.Tick();
            _storeRetry!.Tick();
            await Task.Yield();
        }
        while (DateTime.UtcNow < until);
    }

    /// <summary>After a hold: resumes the partitions it paused (not those the aligner keeps paused).</summary>
    private void ResumeHeld(IConsumer<string?, byte[]> consumer)
    {
        if (_halted.Count == 0) return;
        var resume = consumer.Assignment.Where(tp => _halted.Contains(tp.Partition.Value) && !_aligner!.IsPaused(tp.Partition.Value)).ToList();
        _halted.Clear();
        if (resume.Count > 0) consumer.Resume(resume);
    }

    private Consumed Parse(ConsumeResult<string?, byte[]> r)
    {
        if (!EventJson.TryParse(r.Message.Value ?? [], out var evt, out var reason, options.MaxMessageBytes)) return new Consumed(r, null, reason);
        if (evt!.Type is EventType.Register or EventType.Employee) Readiness.Feeds.Observe(evt);
        return new Consumed(r, evt, null);
    }

    private void Resume(IConsumer<string?, byte[]> consumer, List<int> partitions)
    {
        if (partitions.Count > 0) consumer.Resume(partitions.Select(p => new TopicPartition(options.InputTopic, p)));
    }

    /// <summary>Records how far each assigned partition is behind its end (from librdkafka's cached watermarks); the next check's time.</summary>
    private DateTime CheckLag(IConsumer<string?, byte[]> consumer)
    {
        foreach (var tp in consumer.Assignment)
        {
            try
            {
                var high = consumer.GetWatermarkOffsets(tp).High;
                var position = consumer.Position(tp);
                if (high.Value >= 0 && position.Value >= 0) Stats.RecordLag(tp.Partition.Value, Math.Max(0, high.Value - position.Value));
            }
            catch (KafkaException)
            {
                // A partition being revoked meanwhile: a reading is skipped, consumption goes on.
            }
        }
        return DateTime.UtcNow.AddSeconds(1);
    }

    private async Task<DateTimeOffset?> ProcessAsync(List<Consumed> batch, IProducer<string, byte[]> producer, CancellationToken ct)
    {
        var events = new List<IngestedEvent>(batch.Count);
        var sources = new List<ConsumeResult<string?, byte[]>>(batch.Count);
        var dead = new List<DeadLetter>();
        DateTimeOffset? latest = null;
        foreach (var (r, evt, reason) in batch)
        {
            if (evt is not null)
            {
                events.Add(new IngestedEvent(evt, r.Partition.Value));
                sources.Add(r);
                if (latest is null || evt.OccurredAt > latest) latest = evt.OccurredAt;
            }
            else
            {
                dead.Add(DeadLetterTo(producer, r, reason!));
            }
        }
        var result = await graph.ProcessAsync(events, ct);
        Flight?.Offer([.. result.Accepted.Select(i => events[i])]); // redeliveries the live graph recognised are not flown twice
        // The graph has taken the batch; from here on it is only retried at the store, never run through the graph twice.
        Func<TimeSpan, Task> hold = d => HoldAsync(d, ct);
        var commands = Ledger is null ? result.Commands : await _storeRetry!.RunAsync("recording the batch's outputs", () => Ledger.RecordAsync(result, ct), hold, ct);
        foreach (var rej in result.Rejected) dead.Add(DeadLetterTo(producer, sources[rej.Index], rej.Reason));
        foreach (var a in result.Alerts)
            producer.Produce(options.AlertsTopic, new Message<string, byte[]> { Key = a.AlertId, Value = OutputJson.SerializeToUtf8(a) }, Fail);
        foreach (var c in commands)
            producer.Produce(options.CommandsTopic, new Message<string, byte[]> { Key = c.UserId, Value = OutputJson.SerializeToUtf8(c) }, Fail);
        // Offsets are stored only after everything derived from the batch is acknowledged by the brokers.
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0 && !ct.IsCancellationRequested)
        {
            _kafkaErrors.Report("waiting for the brokers to acknowledge the batch's outputs");
            _kafkaErrors.Tick();
        }
        if (_deliveryError is { } err) throw new InvalidOperationException("publishing outputs failed: " + err);
        if (Ledger is not null)
            await _storeRetry!.RunAsync("marking the batch's commands sent", async () => { await Ledger.SentAsync(commands, ct); return true; }, hold, ct);
        ResumeHeld(_consumer!);
        Stats.Record(batch.Count, dead.Count, result.Duplicates, result.Alerts.Count, commands.Count);
        BatchPublished?.Invoke(new BatchReport(result.Alerts, commands, dead, latest) { Events = [.. result.Accepted.Select(i => events[i].Event)], Shut = result.Shut }); // redeliveries and refused events are not shown
        return latest;
    }

    private string? _deliveryError;

    private void Fail(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError) _deliveryError ??= $"{report.Topic}: {report.Error.Reason}";
    }

    /// <summary>
    /// Sends one dead letter (<see cref="DeadLetterMessage"/>: oversized values cut, with size and hash). A dead letter
    /// the topic does not take is counted and logged, and the message's offset is stored all the same: retrying
    /// it would stop the partition for good.
    /// </summary>
    private DeadLetter DeadLetterTo(IProducer<string, byte[]> producer, ConsumeResult<string?, byte[]> r, string reason)
    {
        var size = $"{r.Message.Value?.Length ?? 0}-byte value, {Encoding.UTF8.GetByteCount(r.Message.Key ?? "")}-byte key";
        var where = $"{r.Topic}/{r.Partition.Value}@{r.Offset.Value}";
        var message = DeadLetterMessage.Build(r.Topic, r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value, reason, options.DeadLetterValueLimit);
        try
        {
            producer.ProduceWhenRoom(options.DeadLetterTopic, message, d =>
            {
                if (d.Error.IsError) DeadLetterFailed(where, size, reason, d.Error.Reason);
            });
        }
        catch (KafkaException e)
        {
            DeadLetterFailed(where, size, reason, e.Error.Reason);
        }
        var original = r.Message.Value is { } v ? Encoding.UTF8.GetString(v, 0, Math.Min(v.Length, 2048)) : "";
        return new DeadLetter { Reason = reason, Source = $"{r.Topic}/{r.Partition.Value}", Position = r.Offset.Value, Original = original };
    }

    private void DeadLetterFailed(string where, string size, string reason, string error)
    {
        Stats.RecordDeadLetterFailure();
        var shortReason = reason.Length > 80 ? reason[..80] + "…" : reason;
        _deadLetterErrors.Report($"{options.DeadLetterTopic} did not take the dead letter of {where} ({size}; {shortReason}): {error}; offset stored, not retried");
    }
}

/// <summary>A consumed message with its parsed event, or the reason it could not be read.</summary>
internal sealed record Consumed(ConsumeResult<string?, byte[]> Result, QueryLogEvent? Event, string? Reason);
