using System.CommandLine;
using System.Globalization;
using Monitor.Actors.State;
using Monitor.Hosting.Cluster;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>run</c>'s cluster options: this node's address, the seed nodes, and how long a silent node waits before the
/// others take its work. Reads them into a <see cref="ClusterNode"/>, refusing with one line what a cluster cannot use.
/// </summary>
internal sealed class ClusterCli
{
    public Option<string> Node { get; } = new("--cluster-node")
    {
        Description = "join a cluster of monitors as HOST:PORT (the address the other nodes reach this one at); one node leads the pipeline, every node serves the officers' API (docs/operations.md)",
    };

    public Option<string[]> Seeds { get; } = new("--seed-node")
    {
        Description = "a node to join the cluster through, HOST:PORT (repeat it; every node should list the same seeds; default: this node)",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int> DownAfter { get; } = new("--down-after")
    {
        Description = "seconds a node may be unreachable before the others declare it down and take its work over (split brain resolver, keep-majority)",
        DefaultValueFactory = _ => 20,
    };

    public Option<bool> ShardEntities { get; } = new("--shard-entities")
    {
        Description = "keep the user, branch, employee and subject entities in Akka.Cluster.Sharding regions spread over every node instead of in the leading node (give it to every node; docs/operations.md)",
    };

    public IEnumerable<Option> All => [Node, Seeds, DownAfter, ShardEntities];

    /// <summary>The node, or null without <c>--cluster-node</c>; a <see cref="CliException"/> for what a cluster cannot use.</summary>
    public ClusterNode? Read(ParseResult p, string store, bool fresh)
    {
        if (p.GetValue(Node) is not { } node)
        {
            if (p.GetValue(Seeds) is { Length: > 0 }) throw new CliException("--seed-node: only with --cluster-node (this node's own address)");
            if (p.GetValue(ShardEntities)) throw new CliException("--shard-entities: only with --cluster-node (one node keeps its entities itself)");
            return null;
        }
        if (ClusterNode.Parse(node, out var reason) is not { } self) throw new CliException($"--cluster-node: {reason}");
        var seeds = p.GetValue(Seeds) is { Length: > 0 } given ? given : [node];
        foreach (var seed in seeds)
            if (ClusterNode.Parse(seed, out reason) is null) throw new CliException($"--seed-node: {reason}");
        var downAfter = p.GetValue(DownAfter);
        if (downAfter is < 1 or > 3600) throw new CliException($"--down-after: {downAfter.ToString(CultureInfo.InvariantCulture)} is not between 1 and 3600 seconds");
        if (StateOptions.ForStore(store).IsSqlite)
            throw new CliException("--cluster-node: the nodes share one alert store and one detector state, so --store must be a PostgreSQL connection string (Host=…;Database=…;Username=…); an SQLite file is open to one machine only");
        if (fresh) throw new CliException("--fresh: not in a cluster; the nodes share one detector state, and a node taking over must continue it");
        return new ClusterNode(self.Host, self.Port, seeds, TimeSpan.FromSeconds(downAfter)) { ShardEntities = p.GetValue(ShardEntities) };
    }
}
