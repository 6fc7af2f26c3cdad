using System.Threading.Channels;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Messages;

namespace Monitor.Ingest;

/// <summary>
/// The rules of a flight, pure: what a shadow graph's batch may publish. Its alerts are tagged with the candidate's
/// name and never ask for a suspension; its commands are withheld (counted, never published, never recorded): each
/// rides, as <see cref="Alert.WithheldCommand"/>, on the batch's alerts it cites, so the backtest can compare the
/// suspensions the candidate would have ordered with live's.
/// </summary>
public static class FlightRules
{
    /// <summary>The run tag the live pipeline's metrics carry; a candidate cannot take it.</summary>
    public const string Live = "live";

    /// <summary>Why <paramref name="name"/> cannot name a candidate, or null when it can.</summary>
    public static string? Invalid(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "a candidate needs a name"
        : string.Equals(name.Trim(), Live, StringComparison.OrdinalIgnoreCase) ? "\"live\" names the settings in force, not a candidate"
        : name.Any(char.IsControl) ? "a candidate's name cannot hold control characters"
        : name.Length > 64 ? "a candidate's name is at most 64 characters"
        : null;

    /// <summary>The candidate's batch as it may be published: alerts tagged, suspensions dropped; no command.</summary>
    public static BatchReport Shadow(BatchProcessed result, string name, IReadOnlyList<QueryLogEvent> events, DateTimeOffset? latest)
    {
        // A command is decided once, in the batch of the alert that brought it about: that alert is among the batch's.
        var withheld = new Dictionary<string, PermissionCommand>(StringComparer.Ordinal);
        foreach (var c in result.Commands.Where(c => c.Action == "suspend"))
            foreach (var id in c.AlertIds) withheld.TryAdd(id, c);
        return new([.. result.Alerts.Select(a => Tag(a, name, withheld.GetValueOrDefault(a.AlertId)))], [], [], latest) { Events = events };
    }

    public static Alert Tag(Alert alert, string name, PermissionCommand? withheld = null) =>
        alert with { Flight = name, SuspensionRequested = false, WithheldCommand = withheld };
}

/// <summary>
/// A candidate settings file flown beside the live settings (<c>monitor run --candidate</c>): a shadow detection graph
/// of its own (its own actor system, its state in memory only, rebuilt from the events it sees after each start) fed
/// the live pipeline's accepted events, batch by batch. The live path hands batches over with <see cref="Offer"/>,
/// which never waits: a bounded queue of <see cref="Capacity"/> batches, and a batch that finds it full is dropped and
/// counted (<see cref="DroppedBatches"/>, <see cref="DroppedEvents"/>). What the shadow publishes obeys
/// <see cref="FlightRules"/>: tagged alerts to <see cref="Publish"/> and <see cref="BatchPublished"/> (metrics with
/// run = the name), commands withheld. Given the candidate's <see cref="SettingsInForce"/>, each change of them (a
/// reload of the candidate file) is told to the shadow graph, as live's are to the live graph.
/// </summary>
public sealed class FlightRunner : IAsyncDisposable
{
    private readonly DetectionGraph _graph;
    private readonly Channel<IReadOnlyList<IngestedEvent>> _queue;
    private readonly Action<string> _log;
    private readonly SettingsInForce? _settings;
    private readonly Task _loop;
    private long _droppedBatches, _droppedEvents, _withheld, _alerts;
    private int _disposed;

    public FlightRunner(string name, DetectionGraph graph, int capacity = 16, Action<string>? log = null, SettingsInForce? settings = null)
    {
        if (FlightRules.Invalid(name) is { } why) throw new ArgumentException(why, nameof(name));
        Name = name;
        Capacity = capacity;
        _graph = graph;
        _log = log ?? (_ => { });
        _queue = System.Threading.Channels.Channel.CreateBounded<IReadOnlyList<IngestedEvent>>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the drop is ours, and counted
        });
        _loop = Task.Run(LoopAsync);
        _settings = settings;
        if (settings is not null) settings.Changed += graph.Reconfigure;
    }

    public string Name { get; }

    public int Capacity { get; }

    public PipelineStats Stats { get; } = new();

    /// <summary>Where the tagged alerts go (the candidate topic); called on the shadow's own task.</summary>
    public Action<IReadOnlyList<Alert>>? Publish { get; init; }

    public event Action<BatchReport>? BatchPublished;

    public long DroppedBatches => Interlocked.Read(ref _droppedBatches);

    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    /// <summary>Commands the candidate's graph decided and the flight never published.</summary>
    public long WithheldCommands => Interlocked.Read(ref _withheld);

    public long AlertRevisions => Interlocked.Read(ref _alerts);

    /// <summary>Hands a batch to the shadow without waiting: false (and counted) when the shadow lags and its queue is full.</summary>
    public bool Offer(IReadOnlyList<IngestedEvent> events)
    {
        if (events.Count == 0) return true;
        if (_queue.Writer.TryWrite(events)) return true;
        Interlocked.Increment(ref _droppedBatches);
        Interlocked.Add(ref _droppedEvents, events.Count);
        return false;
    }

    private async Task LoopAsync()
    {
        await foreach (var events in _queue.Reader.ReadAllAsync())
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await _graph.ProcessAsync(events);
                DateTimeOffset? latest = null;
                foreach (var e in events) if (latest is null || e.Event.OccurredAt > latest) latest = e.Event.OccurredAt;
                var report = FlightRules.Shadow(result, Name, [.. result.Accepted.Select(i => events[i].Event)], latest);
                Interlocked.Add(ref _withheld, result.Commands.Count);
                Interlocked.Add(ref _alerts, report.Alerts.Count);
                if (report.Alerts.Count > 0) Publish?.Invoke(report.Alerts);
                Stats.Record(events.Count, result.Rejected.Count, result.Duplicates, report.Alerts.Count, 0);
                Stats.RecordBatch(System.Diagnostics.Stopwatch.GetElapsedTime(started), latest);
                BatchPublished?.Invoke(report);
            }
            catch (Exception e)
            {
                // The shadow's failure is its own: the live pipeline goes on; this batch counts as dropped.
                Interlocked.Increment(ref _droppedBatches);
                Interlocked.Add(ref _droppedEvents, events.Count);
                _log($"flight {Name}: a batch of {events.Count} events failed in the candidate's graph ({e.Message}); dropped");
            }
        }
    }

    /// <summary>One line for the stop's summary.</summary>
    public string Summary() =>
        $"flight {Name}: {Stats.Events} events, {AlertRevisions} alert revisions, {WithheldCommands} commands withheld, {DroppedBatches} batches ({DroppedEvents} events) dropped while it lagged";

    /// <summary>Lets the queued batches through (at most 10 s), then stops the candidate's graph.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        if (_settings is not null) _settings.Changed -= _graph.Reconfigure;
        await _graph.DisposeAsync();
    }
}

/// <summary>
/// The candidate topic a flight's alerts go to (<c>credit.alerts.candidate</c> by default): a producer of its own, so
/// the live batches never wait for it; an alert the brokers refuse is counted and logged, never retried.
/// </summary>
public sealed class FlightTopic : IDisposable
{
    private readonly Confluent.Kafka.IProducer<string, byte[]> _producer;
    private readonly Action<string> _log;
    private long _failed;

    public FlightTopic(string bootstrapServers, string topic, Action<string>? log = null)
    {
        Topic = topic;
        _log = log ?? (_ => { });
        _producer = new Confluent.Kafka.ProducerBuilder<string, byte[]>(new Confluent.Kafka.ProducerConfig
        {
            BootstrapServers = bootstrapServers, LingerMs = 20, CompressionType = Confluent.Kafka.CompressionType.Lz4,
        }).SetLogHandler((_, _) => { }).Build();
    }

    public string Topic { get; }

    public long Failed => Interlocked.Read(ref _failed);

    public void Publish(IReadOnlyList<Alert> alerts)
    {
        foreach (var a in alerts)
        {
            try
            {
                _producer.Produce(Topic, new Confluent.Kafka.Message<string, byte[]> { Key = a.AlertId, Value = OutputJson.SerializeToUtf8(a) }, r =>
                {
                    if (r.Error.IsError && Interlocked.Increment(ref _failed) == 1) _log($"{Topic} did not take a candidate alert: {r.Error.Reason} (counted, not retried)");
                });
            }
            catch (Confluent.Kafka.ProduceException<string, byte[]> e)
            {
                if (Interlocked.Increment(ref _failed) == 1) _log($"{Topic} did not take a candidate alert: {e.Error.Reason} (counted, not retried)");
            }
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
