using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Hosting.Cluster;
using Monitor.Ingest;
using Monitor.Metrics;
using Monitor.Store;

namespace Monitor.Hosting;

/// <summary>
/// The monitor's one composition root: a .NET Generic Host whose actor system Akka.Hosting starts, with the detection
/// graph in it (its state kept beside the alert store, or in memory), the settings in force and their reloads, and
/// logging through <see cref="ILogger"/> (Akka.NET's too). <c>run</c>, <c>demo</c>, <c>replay</c>,
/// <c>import-accounts</c> and the benchmarks start it the same way, and what they put around the graph (the
/// officers' service, the Kafka ingest, a file replay) is wired here, not by each verb.
/// </summary>
public sealed class MonitorHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly MonitorHostOptions _options;
    private readonly StateOptions? _state;
    private readonly List<OfficerService> _services = [];
    private readonly Leadership? _leadership;
    private DetectionGraph? _graph;

    private MonitorHost(IHost host, DetectionGraph? graph, MonitorHostOptions options, StateOptions? state, Leadership? leadership)
    {
        _host = host;
        _options = options;
        _state = state;
        _graph = graph;
        _leadership = leadership;
        Log = Logger("Monitor");
    }

    /// <summary>The detection graph, started and restored; on a cluster node, only while it leads (<see cref="LeadAsync"/>).</summary>
    public DetectionGraph Graph => _graph ?? throw new InvalidOperationException("this cluster node does not lead the pipeline now");

    public SettingsInForce Settings => _options.Settings;

    /// <summary>The host's services: the actor system, the logger factory, the settings.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The monitor's general logger (category "Monitor").</summary>
    public ILogger Log { get; }

    /// <summary>Where the detector state is kept, for messages (a connection string without its password); null in memory.</summary>
    public string? StateDescription => _state is null ? null : OfficerService.Redact(_state.Description);

    public ILogger Logger(string category) => _host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

    /// <summary>A component's log as lines, for the components that take an <c>Action&lt;string&gt;</c>: each goes through <see cref="ILogger"/>.</summary>
    public Action<string> Lines(string category)
    {
        var logger = Logger(category);
        return line => logger.LogInformation("{Line}", line);
    }

    /// <summary>
    /// Builds and starts the host: the actor system, then the graph in it. A detector state that cannot be opened is
    /// one <see cref="HostStartException"/> naming <c>--store</c>, with the host stopped.
    /// </summary>
    public static async Task<MonitorHost> StartAsync(MonitorHostOptions options, CancellationToken ct = default)
    {
        var state = options.StateStore is { } store ? StateFor(store, options) : null;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(new LineLoggerProvider(options.Lines)).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<IHostLifetime, VerbLifetime>();
        builder.Services.AddSingleton(options.Settings);
        var started = new TaskCompletionSource<DetectionGraph?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leadership = options.Cluster is null ? null : new Leadership();
        builder.Services.AddAkka(ClusterNode.SystemName, (akka, services) =>
        {
            akka.AddHocon(DetectionGraph.ActorSystemConfig, HoconAddMode.Prepend);
            if (options.Cluster is { } cluster) JoinCluster(akka, cluster, leadership!, state?.IdleAfter ?? TimeSpan.FromMinutes(10));
            if (state is not null)
            {
                akka.AddHocon(state.Config(), HoconAddMode.Append);
                if (state.DataSetup() is { } data) akka.AddSetup(data);
            }
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.StartActors(async (system, _) =>
            {
                // Failures are handed to StartAsync's caller: Akka.Hosting would print them with their stack trace.
                try
                {
                    var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitor.State");
                    started.SetResult(options.Cluster is not null ? null // a cluster node starts its graph when it leads
                        : state is null
                        ? DetectionGraph.Start(options.Settings.Current, options.Clock, system, options.Training)
                        : await DetectionGraph.StartAsync(system, options.Settings.Current, options.Clock, state, options.Training, options.Fresh, m => log.LogInformation("{Line}", m)));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            });
        });
        if (options.SettingsFile is { } file) builder.Services.AddHostedService(s => new SettingsWatching(new SettingsWatcher(file, options.Settings, Reports(s, "Monitor.Settings")), options.Clock));
        if (options.Candidate is { File: { } candidateFile } c)
        {
            builder.Services.AddHostedService(s => new SettingsWatching(new SettingsWatcher(candidateFile, c.Settings, Reports(s, "Monitor.Flight"))
            {
                Subject = $"candidate {c.Name}", KeptAs = "the flight goes on with the last good candidate settings",
            }, options.Clock));
        }
        var host = builder.Build();
        DetectionGraph? graph;
        try
        {
            await host.StartAsync(ct);
            graph = await started.Task;
        }
        catch (Exception e) when (state is not null && e is InvalidOperationException or System.Data.Common.DbException or IOException or UnauthorizedAccessException or LinqToDB.LinqToDBException)
        {
            await StopAsync(host);
            throw new HostStartException($"--store: cannot open the detector state in {OfficerService.Redact(state.Description)}: {e.Message}", e);
        }
        catch
        {
            await StopAsync(host);
            throw;
        }
        var monitor = new MonitorHost(host, graph, options, state, leadership);
        options.Settings.Changed += monitor.Reconfigure; // a reload reaches the actors as a message
        if (options.Candidate is not null)
        {
            options.Settings.Changed += monitor.FollowStored;
            monitor.FollowStored(options.Settings.Current);
        }
        if (graph is not null) monitor.Started(graph);
        return monitor;
    }

    private void Reconfigure(Monitor.Detectors.DetectorSnapshot settings) => _graph?.Reconfigure(settings);

    /// <summary>A flight's candidate judges by the analysts' suppressions stored with live's: one in force is no alert the candidate gains.</summary>
    private void FollowStored(Monitor.Detectors.DetectorSnapshot live) => _options.Candidate?.Settings.UseStored(live.Stored);

    private static Action<string> Reports(IServiceProvider services, string category)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        return m => log.LogInformation("{Line}", m);
    }

    private void Started(DetectionGraph graph)
    {
        if (_state is not null && graph.Checkpoint == 0)
            Log.LogInformation("{Line}", _options.Fresh ? $"--fresh: detector state starts empty; it is kept in {StateDescription}" : $"no saved detector state yet: starting empty; it is kept in {StateDescription}");
    }

    /// <summary>
    /// Remoting on this node's address, Akka.Cluster with the seed nodes and a keep-majority split brain resolver,
    /// the monitor's serializer for what crosses nodes, and the pipeline's lease as a cluster singleton (with a proxy,
    /// through which any node's officers reach the lead node).
    /// </summary>
    private static void JoinCluster(AkkaConfigurationBuilder akka, ClusterNode cluster, Leadership leadership, TimeSpan idleAfter)
    {
        akka.WithRemoting(cluster.Host, cluster.Port)
            .WithClustering(new ClusterOptions
            {
                SeedNodes = [.. cluster.Seeds.Select(ClusterNode.Address)],
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .AddHocon($"""
                akka.cluster.split-brain-resolver.stable-after = {(int)cluster.DownAfter.TotalMilliseconds}ms
                akka.cluster.singleton.hand-over-retry-interval = 500ms
                akka.coordinated-shutdown.phases.before-cluster-shutdown.timeout = 25s
                {ClusterMessageSerializer.Hocon}
                {Monitor.Actors.Sharding.EntityMessageSerializer.Hocon}
                {EntityShards.Hocon}
                """, HoconAddMode.Prepend)
            .WithEntityShards(idleAfter)
            .StartActors((system, registry) => AskCheckpointBeforeLeaving(system, registry, cluster))
            .WithSingleton<PipelineLease>("pipeline", PipelineLease.Props(leadership),
                new ClusterSingletonOptions { TerminationMessage = PipelineLease.HandOver.Instance, LogSingletonIdentificationFailure = false }, createProxyToo: true);
    }

    /// <summary>
    /// Sharded entities: a node that leaves gracefully asks the leading node, before its shards move, for a checkpoint
    /// and a pause of the batches until it is gone (<see cref="LeaveRequest"/>), so the entities it holds start on the
    /// other nodes from their snapshots and the term goes on. Without an answer it leaves anyway: the entities that lost
    /// work then answer so, and the leading node begins a new term from its last checkpoint.
    /// </summary>
    private static void AskCheckpointBeforeLeaving(ActorSystem system, IActorRegistry registry, ClusterNode node)
    {
        if (!node.ShardEntities) return;
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "monitor-checkpoint-before-leaving", async () =>
        {
            var self = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
            try
            {
                await registry.Get<PipelineLease>().Ask<LeaveReady>(new LeaveRequest(self), LeaveAsk);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
            }
            return Akka.Done.Instance;
        });
    }

    /// <summary>How long a leaving node waits for the leading node's checkpoint (within its shutdown phase's timeout).</summary>
    private static readonly TimeSpan LeaveAsk = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A cluster node: waits until this node holds the pipeline's lease, then starts the graph from the last committed
    /// checkpoint in the shared store, with the branches the safety valve stopped. Null when <paramref name="ct"/>
    /// ends the wait. Dispose the term when its pipeline has stopped (the lease went, see <see cref="LeadTerm.Lost"/>,
    /// or the node stops): that stops the graph and lets the next node begin.
    /// </summary>
    public async Task<LeadTerm?> LeadAsync(AlertStore store, CancellationToken ct)
    {
        if (_leadership is null || _state is null) throw new InvalidOperationException("only a cluster node with a shared store leads");
        var system = Services.GetRequiredService<ActorSystem>();
        while (true)
        {
            try
            {
                await _leadership.Gained.WaitAsync(ct);
                // Shards on an unreachable member would hold this term's messages unanswered: begin once it is back or removed.
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, _leadership.Lost);
                if (Sharded) await MembershipWatch.WaitReachableAsync(system, waiting.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                _leadership.Stopped(); // the lease went while this node waited: nothing ran here
                continue;
            }
            if (_leadership.Begin()) break;
            _leadership.Stopped();
        }
        var log = Logger("Monitor.State");
        // A new epoch for this term: a node that led before and has not heard yet that it no longer does cannot write state now.
        StateOptions state;
        try
        {
            state = _state with { Epoch = await PipelineEpoch.TakeAsync(_state, ct) };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        var changed = CancellationTokenSource.CreateLinkedTokenSource(_leadership.Lost);
        // Entities elsewhere may lose this term's work when a member goes; with every entity here, nothing is lost.
        var watch = Sharded ? system.ActorOf(MembershipWatch.Props(changed)) : ActorRefs.Nobody;
        DetectionGraph graph;
        try
        {
            graph = await DetectionGraph.StartAsync(system, Settings.Current, _options.Clock, state, _options.Training, fresh: false, m => log.LogInformation("{Line}", m),
                Sharded ? EntityShards.Placement(Services.GetRequiredService<ActorRegistry>()) : null);
        }
        catch
        {
            system.Stop(watch);
            changed.Dispose();
            _leadership.Stopped();
            throw;
        }
        await OfficerService.KeepShutAsync(graph, store, Lines("Monitor.Officers"));
        _graph = graph;
        _leadership.Serve(graph.Reopen);
        Started(graph);
        return new LeadTerm(this, graph, _leadership.Lost, changed, watch);
    }

    /// <summary>How long the leading node holds its batches for a member that leaves (its shards move meanwhile).</summary>
    private static readonly TimeSpan LeaveHold = TimeSpan.FromSeconds(30);

    /// <summary>A cluster node whose entities live in shard regions on every node (<c>--shard-entities</c>).</summary>
    private bool Sharded => _options.Cluster is { ShardEntities: true };

    private async Task EndTermAsync(DetectionGraph graph)
    {
        _leadership!.Serve(null);
        _leadership.ServeLeaves(null);
        _graph = null;
        await graph.DisposeAsync();
        _leadership.Stopped();
    }

    /// <summary>A cluster node: completes once this node is up in the cluster.</summary>
    public Task JoinedAsync()
    {
        var cluster = Akka.Cluster.Cluster.Get(Services.GetRequiredService<ActorSystem>());
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => joined.TrySetResult());
        return joined.Task;
    }

    /// <summary>Completes when the actor system has stopped: on a cluster node, also when the cluster downed it.</summary>
    public Task Terminated => Services.GetRequiredService<ActorSystem>().WhenTerminated;

    /// <summary>The time this node leads the pipeline (<see cref="LeadAsync"/>).</summary>
    public sealed class LeadTerm : IAsyncDisposable
    {
        private readonly MonitorHost _host;
        private readonly DetectionGraph _graph;
        private readonly CancellationToken _lease;
        private readonly CancellationTokenSource _over;
        private readonly IActorRef _watch;
        private int _ended;

        internal LeadTerm(MonitorHost host, DetectionGraph graph, CancellationToken lease, CancellationTokenSource over, IActorRef watch) =>
            (_host, _graph, _lease, _over, _watch) = (host, graph, lease, over, watch);

        /// <summary>
        /// Cancelled when the term is over: the lease leaves this node, or a member of the cluster became unreachable
        /// (<see cref="MembersChanged"/>; the node still leads and begins the next term). Stop the pipeline, then dispose the term.
        /// </summary>
        public CancellationToken Lost => _over.Token;

        /// <summary>The term ended because a member became unreachable, not because the lease went.</summary>
        public bool MembersChanged => _over.IsCancellationRequested && !_lease.IsCancellationRequested;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            _host.Services.GetRequiredService<ActorSystem>().Stop(_watch);
            if (MembersChanged) _graph.AbandonCheckpoint(); // entities on the member that went may never answer
            await _host.EndTermAsync(_graph);
            _over.Dispose();
        }
    }

    private static StateOptions StateFor(string store, MonitorHostOptions options)
    {
        var s = options.Settings.Settings.State;
        var state = StateOptions.ForStore(store) with
        {
            CheckpointEvery = TimeSpan.FromSeconds(s.CheckpointSeconds),
            CheckpointEvents = s.CheckpointEvents,
            IdleAfter = TimeSpan.FromMinutes(s.IdleMinutes),
        };
        if (options.TuneState is { } tune) state = tune(state);
        try
        {
            if (options.Fresh && state.IsSqlite)
            {
                var path = StateOptions.StatePath(store);
                foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
            }
            state.Prepare();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException or ArgumentException)
        {
            throw new HostStartException($"--store: cannot open the detector state in {OfficerService.Redact(state.Description)}: {e.Message}", e);
        }
        return state;
    }

    /// <summary>
    /// Starts the officers' service (the API, the publisher of officers' commands, the metrics reporter) over
    /// <paramref name="store"/>; the host stops it before the actor system.
    /// </summary>
    public async Task<OfficerService> StartOfficersAsync(AlertStore store, string servers, string commandsTopic, string listen, string listenSource, bool mayMove,
        IMetricsSink metrics, string run, Action<string>? lines = null)
    {
        Action<string> reopen = _leadership is null ? Graph.Reopen : ReopenOnLeader;
        var service = await OfficerService.StartAsync(Settings, _leadership is null ? Graph : null, reopen, store, servers, commandsTopic, listen, listenSource, mayMove, lines ?? Lines("Monitor.Officers"), metrics, run);
        _services.Add(service);
        return service;
    }

    /// <summary>An officer's reopening on a cluster node goes to whichever node leads (the lease's singleton proxy).</summary>
    private void ReopenOnLeader(string branchId) =>
        Services.GetRequiredService<ActorRegistry>().Get<PipelineLease>().Tell(new ReopenRequest(branchId));

    /// <summary>
    /// The live path, wired: the Kafka ingest over the graph, recording outputs in the service's store, reporting
    /// readiness to its API, checkpointing at the settings' interval, and every published batch going to the
    /// officers' timelines and the metrics.
    /// </summary>
    public KafkaIngest Ingest(KafkaOptions kafka, OfficerService service, Action<string>? lines = null, FlightRunner? flight = null)
    {
        var ingest = new KafkaIngest(kafka, Graph, lines ?? Lines("Monitor.Ingest"), _options.Clock)
        {
            Flight = flight,
            Ledger = new StoreLedger(service.Store),
            Readiness = service.Readiness,
            CheckpointInterval = TimeSpan.FromSeconds(Settings.Settings.State.CheckpointSeconds),
        };
        if (_leadership is not null && Sharded)
        {
            // A member about to leave: a checkpoint, then the batches wait until its shards have moved (see LeaveRequest).
            var system = Services.GetRequiredService<ActorSystem>();
            var log = Lines("Monitor.Cluster");
            _leadership.ServeLeaves(async member =>
            {
                var held = await ingest.CheckpointAndHoldAsync(MembershipWatch.GoneAsync(system, member, LeaveHold), LeaveHold);
                log(held
                    ? $"{member} is leaving: checkpoint {Graph.Checkpoint} committed; the batches wait (at most {LeaveHold.TotalSeconds:0} s) until its entities have moved"
                    : $"{member} is leaving and no checkpoint could be taken first: its entities' work since the last one is read again");
                return held;
            });
        }
        var reporter = service.Report(ingest.Stats);
        ingest.BatchPublished += service.Observe;
        ingest.BatchPublished += reporter.Observe;
        return ingest;
    }

    /// <summary>
    /// A flight, wired: the candidate's settings in a shadow graph of their own (own actor system, state in memory only,
    /// models retrained at each event day in memory), its tagged alerts to <paramref name="publish"/>, its event-time
    /// metrics to <paramref name="metrics"/> tagged run = the candidate's name. Never the store, never the commands topic.
    /// The candidate is <see cref="MonitorHostOptions.Candidate"/>, whose reloads reach this graph. On a cluster node, one
    /// flight per term the node leads: the next starts empty, as after a restart.
    /// </summary>
    public FlightRunner Flight(Action<IReadOnlyList<Monitor.Contracts.Alert>>? publish, IMetricsSink? metrics)
    {
        var candidate = _options.Candidate ?? throw new InvalidOperationException("no candidate to fly: MonitorHostOptions.Candidate");
        var started = candidate.Settings.Current;
        var graph = DetectionGraph.Start(started, _options.Clock);
        var flight = new FlightRunner(candidate.Name, graph, log: Lines("Monitor.Flight"), settings: candidate.Settings) { Publish = publish };
        if (!ReferenceEquals(candidate.Settings.Current, started)) graph.Reconfigure(candidate.Settings.Current); // reloaded meanwhile
        var name = candidate.Name;
        if (metrics is not null) flight.BatchPublished += new MetricsReporter(metrics, flight.Stats, _options.Clock, null, name).Observe;
        return flight;
    }

    /// <summary>
    /// A file replay, wired: outputs recorded in <paramref name="store"/> when there is one, the state checkpointed
    /// every <c>state.checkpointEvents</c> and at the end when it is kept, metrics to <paramref name="metrics"/>.
    /// </summary>
    public ReplayRunner Replay(AlertStore? store, IMetricsSink? metrics, string run)
    {
        var runner = new ReplayRunner(Graph)
        {
            Ledger = store is null ? null : new StoreLedger(store),
            Checkpoint = Graph.IsDurable ? c => Graph.BeginCheckpointAsync(new Dictionary<int, long>(), c) : null,
            CheckpointEvents = Settings.Settings.State.CheckpointEvents,
        };
        if (metrics is not null) runner.BatchPublished += new MetricsReporter(metrics, runner.Stats, _options.Clock, store, run).Observe;
        return runner;
    }

    /// <summary>
    /// The notifier of a replay asked to notify (<c>replay --notify</c>): the settings' channels and routes, each delivery
    /// claimed and audited in <paramref name="store"/>. <c>run</c> and <c>demo</c> get theirs with the officers' service.
    /// </summary>
    public Monitor.Notify.Notifier Notifier(AlertStore store) =>
        new(() => Settings.Settings.Notifications, () => Settings.Settings.TimeZone, new Monitor.Notify.StoreNoticeLedger(store), TimeProvider.System, Lines("Monitor.Notify"));

    /// <summary>Stops the officers' services, then the host: the actor system's coordinated shutdown and the settings watcher.</summary>
    public async ValueTask DisposeAsync()
    {
        _options.Settings.Changed -= Reconfigure;
        _options.Settings.Changed -= FollowStored;
        foreach (var s in _services) await s.DisposeAsync();
        if (_graph is { } graph)
        {
            if (_leadership is null) await graph.DisposeAsync();
            else await EndTermAsync(graph);
        }
        await StopAsync(_host);
    }

    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }
}
