using System.Net.Sockets;
using Monitor.Actors;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Metrics;
using Monitor.Store;

namespace Monitor.Cli.Commands;

/// <summary>
/// What <c>run</c> and <c>demo</c> put around the detection graph for people: the alert store, the command
/// publisher for officers' commands (first sending whatever a crash left unsent), the safety valve's stopped
/// branches restored into the graph, and the officers' API fed with each batch's events.
/// </summary>
internal sealed class OfficerService : IAsyncDisposable
{
    private readonly IMetricsSink _metrics;
    private readonly CancellationTokenSource _stopReporting = new();
    private MetricsReporter? _reporter;
    private Task _reporting = Task.CompletedTask;

    private readonly string _run;

    private OfficerService(AlertStore store, KafkaCommandPublisher publisher, OfficerApi api, RecentEvents events, IMetricsSink metrics, string run, ReadinessState readiness)
    {
        Readiness = readiness;
        _metrics = metrics;
        _run = run;
        Store = store;
        Publisher = publisher;
        Api = api;
        Events = events;
    }

    public AlertStore Store { get; }
    public KafkaCommandPublisher Publisher { get; }
    public OfficerApi Api { get; }
    public RecentEvents Events { get; }

    /// <summary>Why the monitor is not ready (the API's /ready): "pipeline" until the consumer runs, and whatever the ingest reports ("kafka", "store").</summary>
    public ReadinessState Readiness { get; }

    /// <summary>The pipeline runs (the readiness condition "pipeline" is cleared) or not.</summary>
    public bool Running
    {
        get => !Readiness.Has(PipelineCondition);
        set
        {
            if (value) Readiness.Clear(PipelineCondition);
            else Readiness.Set(PipelineCondition, "stopped");
        }
    }

    private const string PipelineCondition = "pipeline";

    private static ReadinessState Initial()
    {
        var r = new ReadinessState();
        r.Set(PipelineCondition, "not started");
        return r;
    }

    public static async Task<OfficerService> StartAsync(DetectorContext context, DetectionGraph graph, string storeLocation, string servers, string commandsTopic, string listen, Action<string> log, IMetricsSink metrics, string run)
    {
        AlertStore store;
        try
        {
            store = await AlertStore.OpenAsync(storeLocation, TimeProvider.System);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or InvalidOperationException)
        {
            throw new CliException($"--store: cannot open {Redact(storeLocation)}: {e.Message}");
        }
        var publisher = new KafkaCommandPublisher(servers, commandsTopic, store, log);
        if (await publisher.RecoverAsync() is > 0 and var resent) log($"sent {resent} commands recorded before a restart but never confirmed");
        var shut = await store.ShutBranchesAsync();
        if (shut.Count > 0)
        {
            graph.KeepShut(shut);
            log($"automatic suspension stays stopped in {shut.Count} branches until an officer reopens them (GET /api/branches/shut)");
        }
        var events = new RecentEvents();
        OfficerService? service = null;
        var readiness = Initial();
        var deps = new ApiDependencies(store, context, events, async c =>
        {
            await publisher.SendAsync(c);
            service?._reporter?.Officer(c);
        }, graph.Reopen, readiness);
        OfficerApi api;
        try
        {
            api = await OfficerApi.StartAsync(deps, listen);
        }
        catch (IOException e) when (e.InnerException is SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            var fallback = listen[..listen.LastIndexOf(':')] + ":0";
            log($"{listen} is taken; the officers' API listens on a free port instead");
            api = await OfficerApi.StartAsync(deps, fallback);
        }
        service = new OfficerService(store, publisher, api, events, metrics, run, readiness);
        if (context.Settings.Api.Keys.Count == 0) log("no API keys in the settings: every API call is refused; make one with ./monitor api-key");
        log($"officers' API at {api.Address} (docs/api.md); alert store: {store.Kind}");
        return service;
    }

    /// <summary>Starts writing metrics for a pipeline: batches through the returned reporter, health every 10 s.</summary>
    public MetricsReporter Report(PipelineStats stats)
    {
        _reporter = new MetricsReporter(_metrics, stats, TimeProvider.System, Store, _run);
        _reporting = _reporter.RunAsync(TimeSpan.FromSeconds(10), _stopReporting.Token);
        return _reporter;
    }

    public async Task StopReportingAsync()
    {
        await _stopReporting.CancelAsync();
        await _reporting;
    }

    /// <summary>Watches a batch go by: its events feed the timelines.</summary>
    public void Observe(BatchReport report) => Events.Add(report.Events);

    public async ValueTask DisposeAsync()
    {
        await StopReportingAsync();
        await Api.DisposeAsync();
        Publisher.Dispose();
    }

    /// <summary>A connection string without its password, for messages.</summary>
    private static string Redact(string location) =>
        System.Text.RegularExpressions.Regex.Replace(location, "(?i)(password|pwd)=[^;]*", "$1=***");
}
