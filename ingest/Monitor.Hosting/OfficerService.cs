using Confluent.Kafka;
using System.Net.Sockets;
using Monitor.Actors;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Metrics;
using Monitor.Notify;
using Monitor.Store;

namespace Monitor.Hosting;

/// <summary>
/// What <c>run</c> and <c>demo</c> put around the detection graph for people: the alert store, the command
/// publisher for officers' commands (first sending whatever a crash left unsent), the safety valve's stopped
/// branches restored into the graph, the analysts' suppressions from the store put in force (at start, on each
/// change through the API, and every 10 s for changes another node made), the officers' API fed with each
/// batch's events, the escalation of late daily sheets, and the notifier that pushes critical alerts, suspensions with
/// their branch notices, escalations and the safety valve's stops (docs/notifications.md).
/// </summary>
public sealed class OfficerService : IAsyncDisposable
{
    private readonly IMetricsSink _metrics;
    private readonly CancellationTokenSource _stopReporting = new();
    private MetricsReporter? _reporter;
    private PipelineStats? _stats;
    private Task _reporting = Task.CompletedTask;
    private Task _escalating = Task.CompletedTask;
    private Task _suppressing = Task.CompletedTask;
    private Func<IReadOnlyList<Monitor.Detectors.Settings.Suppression>> _suppressions = () => [];

    private readonly string _run;

    private OfficerService(AlertStore store, KafkaCommandPublisher publisher, OfficerApi api, RecentEvents events, IMetricsSink metrics, string run, ReadinessState readiness,
        Notifier notifier)
    {
        Notifier = notifier;
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

    /// <summary>Pushes what people must know at once to the channels of the settings' <c>notifications</c>.</summary>
    public Notifier Notifier { get; }

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

    /// <summary>Hands the branches the safety valve stopped (kept in the store) to a graph about to run.</summary>
    internal static async Task KeepShutAsync(DetectionGraph graph, AlertStore store, Action<string> log)
    {
        var shut = await store.ShutBranchesAsync();
        if (shut.Count == 0) return;
        graph.KeepShut(shut);
        log($"automatic suspension stays stopped in {shut.Count} branches until an officer reopens them (GET /api/branches/shut)");
    }

    /// <summary>
    /// Starts the officers' service around <paramref name="graph"/>: the API listens on <paramref name="listen"/>
    /// (ADDRESS:PORT; <paramref name="listenSource"/> names where it came from in messages), and with
    /// <paramref name="mayMove"/> (the demo) on a free port when that one is taken.
    /// </summary>
    /// <remarks>
    /// <paramref name="graph"/> is the graph this node runs, null on a cluster node, whose officers reach the lead
    /// node's graph through <paramref name="reopen"/>, where an officer's reopening of a branch goes.
    /// </remarks>
    internal static async Task<OfficerService> StartAsync(SettingsInForce settings, DetectionGraph? graph, Action<string> reopen, AlertStore store, string servers, string commandsTopic, string listen, string listenSource, bool mayMove, Action<string> log, IMetricsSink metrics, string run)
    {
        var publisher = new KafkaCommandPublisher(servers, commandsTopic, store, log);
        if (graph is not null) await KeepShutAsync(graph, store, log);
        // Before the first batch: the graph is told of the store's suppressions ahead of any event it is given.
        var suppressions = new StoreSuppressions(store, settings, log);
        await suppressions.RefreshAsync();
        log((await store.VerifyAuditAsync()).Line); // a broken chain is reported (here, on /ready, GET /api/audit/verify), not fatal: detection goes on
        var events = new RecentEvents();
        var notifier = new Notifier(() => settings.Settings.Notifications, () => settings.Settings.TimeZone, new StoreNoticeLedger(store), TimeProvider.System, log);
        OfficerService? service = null;
        var readiness = Initial();
        var deps = new ApiDependencies(store, () => settings.Settings.Api, () => settings.Settings with { Notifications = settings.Settings.Notifications.Redacted() }, events, async c =>
        {
            await publisher.SendAsync(c);
            service?._reporter?.Officer(c);
            notifier.Commanded(c);
        }, reopen, readiness)
        {
            TimeZone = () => settings.Settings.TimeZone,
            SheetDue = day => Monitor.Detectors.Verification.SheetDeadlines.Of(settings.Current).Due(day, 1),
            SuppressionsChanged = () => suppressions.RefreshAsync(),
            ConsumerLag = () => service?._stats is { } stats && stats.Lag is { Count: > 0 } lag ? lag.Values.Sum() : null,
        };
        OfficerApi api;
        try
        {
            api = await OfficerApi.StartAsync(deps, listen);
        }
        catch (IOException e) when (mayMove && InUse(e))
        {
            // Only the demo moves: clients of a service send their keys to the port they were given, to whoever holds it.
            api = await OfficerApi.StartAsync(deps, listen[..listen.LastIndexOf(':')] + ":0");
            log($"{listen} is taken; the demo's officers' API listens on {api.Address.Authority} instead");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            publisher.Dispose();
            await notifier.DisposeAsync();
            throw new HostStartException(e is IOException io && InUse(io)
                ? $"{listenSource}: {listen} is taken by another program; stop it, or choose a free port"
                : $"{listenSource}: cannot listen on {listen}: {(e.InnerException ?? e).Message}");
        }
        service = new OfficerService(store, publisher, api, events, metrics, run, readiness, notifier);
        service._suppressions = () => settings.Current.Suppressions.Entries;
        service._suppressing = suppressions.RunAsync(StoreSuppressions.Interval, TimeProvider.System, service._stopReporting.Token);
        service._escalating = new Verification.SheetEscalator(store, () => settings.Current, TimeProvider.System, log) { Escalated = notifier.Escalated }
            .RunAsync(TimeSpan.FromMinutes(1), service._stopReporting.Token);
        if (settings.Settings.Api.Keys.Count == 0) log("no API keys in the settings: every API call is refused; make one with ./monitor api-key");
        log($"officers' API at {api.Address} (docs/api.md); alert store: {store.Kind}");
        return service;
    }

    /// <summary>Opens the alert store (before anything else starts, so a bad <c>--store</c> is the only line printed).</summary>
    public static async Task<AlertStore> OpenStoreAsync(string location)
    {
        try
        {
            return await AlertStore.OpenAsync(location, TimeProvider.System);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new HostStartException($"--store: cannot open {Redact(location)}: {e.Message}");
        }
    }

    /// <summary>Starts writing metrics for a pipeline: batches through the returned reporter, health every 10 s.</summary>
    public MetricsReporter Report(PipelineStats stats)
    {
        _stats = stats;
        _reporter = new MetricsReporter(_metrics, stats, TimeProvider.System, Store, _run) { Suppressions = _suppressions, More = now => [Notifier.Counters.Point(now)] };
        _reporting = _reporter.RunAsync(TimeSpan.FromSeconds(10), _stopReporting.Token);
        return _reporter;
    }

    public async Task StopReportingAsync()
    {
        await _stopReporting.CancelAsync();
        await _reporting;
        await _escalating;
        await _suppressing;
    }

    /// <summary>Watches a batch go by: its events feed the timelines, what it published the notifications (handed over, never waited for).</summary>
    public void Observe(BatchReport report)
    {
        Events.Add(report.Events);
        Notifier.Published(report.Alerts, report.Commands, report.Shut, report.LatestEventTime);
    }

    public async ValueTask DisposeAsync()
    {
        await StopReportingAsync();
        await Notifier.DisposeAsync();
        await Api.DisposeAsync();
        Publisher.Dispose();
    }

    private static bool InUse(IOException e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || e.InnerException?.GetType().Name == "AddressInUseException"
        || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>A connection string without its password, for messages.</summary>
    public static string Redact(string location) =>
        System.Text.RegularExpressions.Regex.Replace(location, "(?i)(password|pwd)=[^;]*", "$1=***");
}
