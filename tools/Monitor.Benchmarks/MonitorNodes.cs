/// <summary>
/// <c>monitor run</c> processes against one broker, as an operator starts them: one plain node, or a cluster
/// (<c>--cluster-node</c>, one seed) whose first node leads the pipeline and the others join and stand by.
/// </summary>
internal sealed class MonitorNodes : IDisposable
{
    private MonitorNodes(List<MonitorProcess> nodes) => All = nodes;

    /// <summary>The nodes, the leader first.</summary>
    public IReadOnlyList<MonitorProcess> All { get; }

    public MonitorProcess Leader => All[0];

    /// <param name="cli">The built CLI.</param>
    /// <param name="servers">The broker.</param>
    /// <param name="nodes">How many processes; 0 starts one without cluster options.</param>
    /// <param name="store">The store: an SQLite file for a plain node, a PostgreSQL connection string for either.</param>
    /// <param name="dir">Where the metrics files and models go.</param>
    public static async Task<MonitorNodes> StartAsync(string cli, string servers, int nodes, string store, string dir)
    {
        var seed = $"127.0.0.1:{MonitorProcess.FreePort()}";
        string[] Args(int node)
        {
            string[] common = ["run", "--kafka", servers, "--store", store, "--api", "127.0.0.1:0", "--metrics-file", Path.Combine(dir, $"metrics{node}.lp"), "--models", Path.Combine(dir, $"models{node}")];
            return nodes == 0 ? common : [.. common, "--cluster-node", node == 0 ? seed : $"127.0.0.1:{MonitorProcess.FreePort()}", "--seed-node", seed];
        }
        var started = new List<MonitorProcess> { MonitorProcess.Start(cli, Args(0)) };
        var result = new MonitorNodes(started);
        try
        {
            await started[0].ErrorLineAsync(nodes == 0 ? "consuming" : "this node leads the pipeline", TimeSpan.FromSeconds(60));
            for (var node = 1; node < nodes; node++)
            {
                // The others join and stand by: the leader (the oldest) keeps the pipeline.
                started.Add(MonitorProcess.Start(cli, Args(node)));
                await started[^1].ErrorLineAsync("joined the cluster", TimeSpan.FromSeconds(60));
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Stops the standbys, then the leader (SIGTERM each, as a rolling stop).</summary>
    public void Stop()
    {
        foreach (var node in All.Skip(1).Append(Leader)) node.Stop();
    }

    public void Dispose()
    {
        foreach (var node in All) node.Dispose();
    }
}
