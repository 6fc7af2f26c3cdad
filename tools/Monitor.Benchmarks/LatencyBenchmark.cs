using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Monitor.Contracts;

/// <summary>
/// Event-to-alert latency as an operator meets it (issue 15): <c>monitor kafka</c> and <c>monitor run</c> as
/// processes of their own, simulated traffic produced at a steady rate, and one event in a hundred an
/// administrator's query (a probe). A probe's latency runs from the moment it is handed to the producer to the
/// moment its ADMIN_QUERY alert is read from <c>credit.alerts</c>. The baseline, in the same run: the same
/// traffic produced and consumed straight through the same broker, which is the floor any monitor pays.
/// </summary>
internal static class LatencyBenchmark
{
    private const int ProbeEvery = 100;
    private static readonly long Started = Stopwatch.GetTimestamp();
    private static readonly TextWriter? Trace = Environment.GetEnvironmentVariable("LATENCY_TRACE") is { } f ? TextWriter.Synchronized(new StreamWriter(f) { AutoFlush = true }) : null;

    /// <param name="traffic">The events, produced in a loop.</param>
    /// <param name="rate">Events per second.</param>
    /// <param name="warmUp">Traffic before the measurement.</param>
    /// <param name="measure">How long the measurement lasts.</param>
    /// <param name="nodes">How many <c>monitor run</c> processes: more than one forms a cluster (<c>--cluster-node</c>) on <paramref name="postgres"/>.</param>
    /// <param name="postgres">The shared store of a cluster (a PostgreSQL connection string); null with one node (an SQLite file).</param>
    public static async Task RunAsync(IReadOnlyList<QueryLogEvent> traffic, int rate, TimeSpan warmUp, TimeSpan measure, int nodes = 1, string? postgres = null)
    {
        if (nodes > 1 && postgres is null)
        {
            Console.WriteLine("latency: --nodes above 1 needs --postgres CONNECTION (the nodes share their store)");
            return;
        }
        if (MonitorProcess.Cli("latency") is not { } cli) return;
        var dir = Directory.CreateTempSubdirectory("latency-bench").FullName;
        using var kafka = MonitorProcess.Start(cli, "kafka");
        var servers = await kafka.FirstLineAsync(TimeSpan.FromSeconds(30));
        try
        {
            var raw = await RawAsync(servers, traffic, rate, warmUp, measure);
            using (var monitor = await MonitorNodes.StartAsync(cli, servers, nodes == 1 ? 0 : nodes, postgres ?? Path.Combine(dir, "monitor.db"), dir))
            {
                if (Trace is not null) _ = Task.Run(async () => { await foreach (var l in monitor.Leader.Errors.ReadAllAsync()) Trace.WriteLine($"{Stopwatch.GetElapsedTime(Started).TotalSeconds:F2} monitor: {l}"); });
                var through = await MonitorAsync(servers, traffic, rate, warmUp, measure);
                Print($"event to alert, monitor run{(nodes > 1 ? $", {nodes} cluster nodes" : "")}, {rate:N0} events/s:", through);
                Print($"produce to consume, no monitor (baseline):", raw);
                monitor.Stop();
            }
        }
        finally
        {
            kafka.Stop();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Print(string what, List<double> ms)
    {
        if (ms.Count == 0)
        {
            Console.WriteLine($"{what,-48} no probe came through");
            return;
        }
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine($"{what,-48} p50 {P(0.5),6:F0} ms, p99 {P(0.99),6:F0} ms, max {ms[^1],6:F0} ms ({ms.Count} probes)");
    }

    /// <summary>The monitor's path: traffic to <c>credit.query-log</c>, probes' alerts read from <c>credit.alerts</c>.</summary>
    private static Task<List<double>> MonitorAsync(string servers, IReadOnlyList<QueryLogEvent> traffic, int rate, TimeSpan warmUp, TimeSpan measure) =>
        MeasureAsync(servers, traffic, rate, warmUp, measure, "credit.query-log", "latency-alerts",
            Trace is null ? ["credit.alerts"] : ["credit.alerts", "credit.query-log.dlq"], AlertedProbes, settle: TimeSpan.FromSeconds(5));

    /// <summary>The floor: the same traffic through the same broker, each probe timed from produce to consume.</summary>
    private static Task<List<double>> RawAsync(string servers, IReadOnlyList<QueryLogEvent> traffic, int rate, TimeSpan warmUp, TimeSpan measure) =>
        MeasureAsync(servers, traffic, rate, warmUp, measure, "latency.raw", "latency-raw", ["latency.raw"],
            r => EventJson.TryParse(r.Message.Value, out var e, out _) ? [e!.EventId] : [], settle: TimeSpan.FromSeconds(2));

    /// <summary>The probes a first ADMIN_QUERY revision on <c>credit.alerts</c> gives evidence of (with a trace, dead letters are shown).</summary>
    private static IEnumerable<string> AlertedProbes(ConsumeResult<string?, byte[]> r)
    {
        if (r.Topic != "credit.alerts")
        {
            Trace?.WriteLine($"dead letter: {string.Join("; ", r.Message.Headers.Select(h => h.Key + "=" + System.Text.Encoding.UTF8.GetString(h.GetValueBytes())))}");
            return [];
        }
        using var alert = JsonDocument.Parse(r.Message.Value);
        if (alert.RootElement.GetProperty("rule").GetString() != RuleIds.AdminQuery || alert.RootElement.GetProperty("revision").GetInt32() != 1) return [];
        return [.. alert.RootElement.GetProperty("evidence").EnumerateArray().Select(id => id.GetString()!)];
    }

    /// <summary>
    /// Produces the traffic to <paramref name="produceTo"/> while reading <paramref name="readFrom"/>; each probe named
    /// by <paramref name="probes"/> in a message read is timed from its send. Waits <paramref name="settle"/> for the last.
    /// </summary>
    private static async Task<List<double>> MeasureAsync(string servers, IReadOnlyList<QueryLogEvent> traffic, int rate, TimeSpan warmUp, TimeSpan measure,
        string produceTo, string group, string[] readFrom, Func<ConsumeResult<string?, byte[]>, IEnumerable<string>> probes, TimeSpan settle)
    {
        var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var latencies = new List<double>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            using var consumer = Consumer(servers, group);
            consumer.Subscribe(readFrom);
            while (!stop.IsCancellationRequested)
            {
                var r = Consume(consumer);
                if (r is null) continue;
                var now = Stopwatch.GetTimestamp();
                foreach (var id in probes(r))
                {
                    if (!sent.TryRemove(id, out var at)) continue;
                    lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                    Trace?.WriteLine($"{Stopwatch.GetElapsedTime(Started, at).TotalSeconds:F2},{Stopwatch.GetElapsedTime(at, now).TotalMilliseconds:F0}");
                }
            }
        });
        await ProduceAsync(servers, produceTo, traffic, rate, warmUp, measure, sent);
        await Task.Delay(settle);
        await stop.CancelAsync();
        await reader;
        return latencies;
    }

    /// <summary>
    /// Produces <paramref name="traffic"/> (from its start, round again if it runs out) at <paramref name="rate"/>
    /// events/s for the warm-up and the measurement; during the measurement one event in <see cref="ProbeEvery"/>
    /// is a probe, whose send time goes into <paramref name="sent"/>.
    /// </summary>
    private static async Task ProduceAsync(string servers, string topic, IReadOnlyList<QueryLogEvent> traffic, int rate, TimeSpan warmUp, TimeSpan measure,
        System.Collections.Concurrent.ConcurrentDictionary<string, long> sent)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers, LingerMs = 1, AllowAutoCreateTopics = true })
            .SetLogHandler((_, _) => { }).Build();
        var clock = Stopwatch.StartNew();
        var total = warmUp + measure;
        long produced = 0;
        var round = 0;
        var query = traffic.First(t => t.Type == EventType.Query); // probes are queries: another event type lacks a query's fields
        var latest = query.OccurredAt; // and happen now in event time, not at the template's time (which may be past the allowed lateness)
        while (clock.Elapsed < total)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; produced < due; produced++)
            {
                var i = (int)(produced % traffic.Count);
                if (i == 0 && produced > 0) round++;
                var e = traffic[i] with { EventId = $"{traffic[i].EventId}-r{round}" };
                if (e.Type == EventType.Query) query = e;
                if (e.OccurredAt > latest) latest = e.OccurredAt;
                if (produced % ProbeEvery == 0)
                {
                    // Probes during the warm-up too, uncounted: the first alert and command create their topics on the
                    // mock cluster, which holds the first batches for seconds; a bank's topics exist before it starts.
                    // An administrator account reading a report: ADMIN_QUERY on the first event, a user of its own per probe.
                    e = query with { EventId = $"probe-{produced}", UserId = $"LAT{produced:D8}", EmployeeId = $"LATE{produced:D8}", UserRole = UserRole.SuperAdmin, OccurredAt = latest };
                    if (clock.Elapsed >= warmUp) sent[e.EventId] = Stopwatch.GetTimestamp();
                }
                producer.Produce(topic, new Message<string, byte[]> { Key = e.UserId, Value = EventJson.SerializeToUtf8(e) });
            }
            await Task.Delay(1);
        }
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private static IConsumer<string?, byte[]> Consumer(string servers, string group) =>
        new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = servers, GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest, AllowAutoCreateTopics = true, FetchWaitMaxMs = 5,
        }).SetLogHandler((_, _) => { }).Build();

    private static ConsumeResult<string?, byte[]>? Consume(IConsumer<string?, byte[]> consumer)
    {
        try
        {
            return consumer.Consume(100);
        }
        catch (ConsumeException)
        {
            return null; // the topic appears with its first message
        }
    }
}
