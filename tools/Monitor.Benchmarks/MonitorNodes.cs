/// <summary>
/// <c>monitor run</c> processes against one broker, as an operator starts them: one plain node, or a cluster
/// (<c>--cluster-node</c>, one seed) whose first node leads the pipeline and the others join and stand by.
/// </summary>
internal sealed class MonitorNodes : IDisposable
{
    private MonitorNodes(List<MonitorProcess> nodes, List<int> clusterPorts) => (All, ClusterPorts) = (nodes, clusterPorts);

    /// <summary>Options every cluster node gets besides its address (<c>--shard-entities</c> when the benchmark is given it).</summary>
    public static string[] ClusterOptions { get; set; } = [];

    /// <summary>The nodes, the leader first.</summary>
    public IReadOnlyList<MonitorProcess> All { get; }

    public MonitorProcess Leader => All[0];

    /// <summary>The ports the nodes talk to each other on (none for a plain node).</summary>
    public IReadOnlyList<int> ClusterPorts { get; }

    /// <param name="cli">The built CLI.</param>
    /// <param name="servers">The broker.</param>
    /// <param name="nodes">How many processes; 0 starts one without cluster options.</param>
    /// <param name="store">The store: an SQLite file for a plain node, a PostgreSQL connection string for either.</param>
    /// <param name="dir">Where the metrics files and models go.</param>
    public static async Task<MonitorNodes> StartAsync(string cli, string servers, int nodes, string store, string dir)
    {
        var ports = Enumerable.Range(0, nodes).Select(_ => MonitorProcess.FreePort()).ToList();
        string[] Args(int node)
        {
            string[] common = ["run", "--kafka", servers, "--store", store, "--api", "127.0.0.1:0", "--metrics-file", Path.Combine(dir, $"metrics{node}.lp"), "--models", Path.Combine(dir, $"models{node}")];
            return nodes == 0 ? common : [.. common, "--cluster-node", $"127.0.0.1:{ports[node]}", "--seed-node", $"127.0.0.1:{ports[0]}", .. ClusterOptions];
        }
        var started = new List<MonitorProcess> { MonitorProcess.Start(cli, Args(0)) };
        var result = new MonitorNodes(started, ports);
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

    /// <summary>
    /// Bytes the nodes have sent each other so far over the connections open now (<c>ss</c>'s <c>bytes_sent</c> of
    /// every established socket on a cluster port, both ends counted: each end's socket counts what that end sent).
    /// </summary>
    public long BytesBetweenNodes()
    {
        if (ClusterPorts.Count == 0) return 0;
        var filter = string.Join(" or ", ClusterPorts.Select(p => $"sport = :{p} or dport = :{p}"));
        var info = new System.Diagnostics.ProcessStartInfo("ss", ["-tinH", "state", "established", $"( {filter} )"]) { RedirectStandardOutput = true };
        using var ss = System.Diagnostics.Process.Start(info)!;
        var text = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        return System.Text.RegularExpressions.Regex.Matches(text, @"bytes_sent:(\d+)").Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        foreach (var node in All) node.Dispose();
    }
}
