using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitor.Actors;
using Monitor.Actors.State;
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

    private MonitorHost(IHost host, DetectionGraph graph, MonitorHostOptions options, StateOptions? state)
    {
        _host = host;
        _options = options;
        _state = state;
        Graph = graph;
        Log = Logger("Monitor");
    }

    /// <summary>The detection graph, started and restored.</summary>
    public DetectionGraph Graph { get; }

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
        var started = new TaskCompletionSource<DetectionGraph>(TaskCreationOptions.RunContinuationsAsynchronously);
        builder.Services.AddAkka("monitor", (akka, services) =>
        {
            akka.AddHocon(DetectionGraph.ActorSystemConfig, HoconAddMode.Prepend);
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
                    started.SetResult(state is null
                        ? DetectionGraph.Start(options.Settings.Current, options.Clock, system, options.Training)
                        : await DetectionGraph.StartAsync(system, options.Settings.Current, options.Clock, state, options.Training, options.Fresh, m => log.LogInformation("{Line}", m)));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            });
        });
        if (options.SettingsFile is { } file) builder.Services.AddHostedService(s => new SettingsWatching(file, options.Settings, s.GetRequiredService<ILoggerFactory>().CreateLogger("Monitor.Settings"), options.Clock));
        var host = builder.Build();
        DetectionGraph graph;
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
        options.Settings.Changed += graph.Reconfigure; // a reload reaches the actors as a message
        var monitor = new MonitorHost(host, graph, options, state);
        if (state is not null && graph.Checkpoint == 0)
            monitor.Log.LogInformation("{Line}", options.Fresh ? $"--fresh: detector state starts empty; it is kept in {monitor.StateDescription}" : $"no saved detector state yet: starting empty; it is kept in {monitor.StateDescription}");
        return monitor;
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
            if (options.Fresh && state.Provider.StartsWith("SQLite", StringComparison.Ordinal))
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
        var service = await OfficerService.StartAsync(Settings, Graph, store, servers, commandsTopic, listen, listenSource, mayMove, lines ?? Lines("Monitor.Officers"), metrics, run);
        _services.Add(service);
        return service;
    }

    /// <summary>
    /// The live path, wired: the Kafka ingest over the graph, recording outputs in the service's store, reporting
    /// readiness to its API, checkpointing at the settings' interval, and every published batch going to the
    /// officers' timelines and the metrics.
    /// </summary>
    public KafkaIngest Ingest(KafkaOptions kafka, OfficerService service, Action<string>? lines = null)
    {
        var ingest = new KafkaIngest(kafka, Graph, lines ?? Lines("Monitor.Ingest"), _options.Clock)
        {
            Ledger = new StoreLedger(service.Store),
            Readiness = service.Readiness,
            CheckpointInterval = TimeSpan.FromSeconds(Settings.Settings.State.CheckpointSeconds),
        };
        var reporter = service.Report(ingest.Stats);
        ingest.BatchPublished += service.Observe;
        ingest.BatchPublished += reporter.Observe;
        return ingest;
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

    /// <summary>Stops the officers' services, then the host: the actor system's coordinated shutdown and the settings watcher.</summary>
    public async ValueTask DisposeAsync()
    {
        _options.Settings.Changed -= Graph.Reconfigure;
        foreach (var s in _services) await s.DisposeAsync();
        await Graph.DisposeAsync();
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
