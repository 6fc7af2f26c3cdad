using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Monitor.Ingest;
using Npgsql;

/// <summary>
/// Events/s, processor time and memory per node of <c>monitor run</c> on one, two and three cluster nodes (issue
/// 15), as an operator runs them: <c>monitor kafka</c> and the nodes as processes of their own on this machine, a
/// fresh PostgreSQL database and a fresh broker for each configuration. The workload is produced in parts (the
/// mock cluster keeps about 5 MB per partition); each part is produced once the leader has said it caught up with
/// the one before, and the figure runs from the first message produced to the last part caught up, so it includes
/// the checkpoint the leader takes each time it catches up. The baseline, in the same run: one node without
/// cluster options on the same PostgreSQL server.
/// </summary>
internal static class ClusterBenchmark
{
    private const string Topic = "credit.query-log";

    /// <param name="payloads">The workload: key (the user id) and the event's JSON.</param>
    /// <param name="postgres">A connection string to a PostgreSQL server where the benchmark may create databases.</param>
    /// <param name="maxNodes">The largest cluster measured.</param>
    /// <param name="part">Events per part produced.</param>
    public static async Task RunAsync(IReadOnlyList<(string Key, byte[] Value)> payloads, string postgres, int maxNodes, int part)
    {
        if (MonitorProcess.Cli("cluster") is not { } cli) return;
        Console.WriteLine($"cluster: {payloads.Count:N0} events in parts of {part:N0}, each configuration on a fresh broker and database");
        foreach (var nodes in Enumerable.Range(0, maxNodes + 1))
        {
            var dir = Directory.CreateTempSubdirectory("cluster-bench").FullName;
            var database = await CreateDatabaseAsync(postgres);
            using var kafka = MonitorProcess.Start(cli, "kafka");
            try
            {
                var servers = await kafka.FirstLineAsync(TimeSpan.FromSeconds(30));
                using var monitor = await MonitorNodes.StartAsync(cli, servers, nodes, database.Connection, dir);
                var cpuBefore = monitor.All.Select(n => n.Cpu).ToList();
                var bytesBefore = monitor.BytesBetweenNodes();
                var watch = Stopwatch.StartNew();
                await ProduceAndWaitAsync(servers, payloads, part, monitor.Leader);
                var elapsed = watch.Elapsed;
                var crossing = (monitor.BytesBetweenNodes() - bytesBefore) / (double)payloads.Count;
                var memory = monitor.All.Select(n => n.Memory()).ToList();
                var cpu = monitor.All.Select((n, i) => (n.Cpu - cpuBefore[i]).TotalSeconds / elapsed.TotalSeconds).ToList();
                var what = nodes == 0 ? "1 node, no cluster options (baseline)" : $"{nodes} cluster node{(nodes > 1 ? "s" : "")}{(MonitorNodes.ClusterOptions.Length > 0 ? ", sharded" : "")}";
                monitor.Stop();
                var messages = 0L;
                foreach (var n in monitor.All) messages += await MessagesFromOtherNodesAsync(n);
                Console.WriteLine($"{what,-40} {payloads.Count / elapsed.TotalSeconds,8:N0} events/s, {crossing,7:F1} bytes and {messages / (double)payloads.Count,5:F2} entity messages between nodes per event (each answered once); per node (leader first): "
                    + string.Join(", ", memory.Select((m, i) => $"RSS {m.Now / 1048576.0:N0} MiB (peak {m.Peak / 1048576.0:N0}), CPU {cpu[i]:P0}")));
            }
            finally
            {
                kafka.Stop();
                await DropDatabaseAsync(postgres, database.Name);
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>What a stopped cluster node said its entities had from other nodes ("entity messages from other nodes: N"); 0 for a single node.</summary>
    private static async Task<long> MessagesFromOtherNodesAsync(MonitorProcess node)
    {
        try
        {
            var line = await node.ErrorLineAsync("entity messages from other nodes:", TimeSpan.FromSeconds(10));
            return long.Parse(line.Split(": ", 2)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return 0;
        }
    }

    private static async Task ProduceAndWaitAsync(string servers, IReadOnlyList<(string Key, byte[] Value)> payloads, int part, MonitorProcess leader)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers, LingerMs = 5, BatchSize = 1_000_000 })
            .SetLogHandler((_, _) => { }).Build();
        for (var from = 0; from < payloads.Count; from += part)
        {
            var to = Math.Min(payloads.Count, from + part);
            for (var i = from; i < to; i++) producer.ProduceWhenRoom(Topic, payloads[i].Key, payloads[i].Value);
            producer.Flush(TimeSpan.FromSeconds(30));
            while (ReadUpTo(await leader.ErrorLineAsync("caught up with", TimeSpan.FromMinutes(5))) < to) { }
        }
    }

    /// <summary>The events the leader said it had read when it caught up ("caught up with T: N events read, …").</summary>
    private static long ReadUpTo(string line) =>
        long.Parse(line.Split(": ", 2)[1].Split(' ')[0], CultureInfo.InvariantCulture);

    private static async Task<(string Name, string Connection)> CreateDatabaseAsync(string server)
    {
        var name = $"monitor_bench_{Guid.NewGuid():N}"[..24];
        await using (var c = new NpgsqlConnection(server))
        {
            await c.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await create.ExecuteNonQueryAsync();
        }
        return (name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    private static async Task DropDatabaseAsync(string server, string name)
    {
        await using var c = new NpgsqlConnection(server);
        await c.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
        await drop.ExecuteNonQueryAsync();
    }
}
