using System.Globalization;

namespace Monitor.Hosting.Cluster;

/// <summary>
/// How a monitor joins a cluster: this node's address, the seed nodes it joins through, and how long an unreachable
/// member may stay unreachable before the split brain resolver downs it (keep-majority), after which its work moves.
/// </summary>
/// <param name="Host">The host name or address the other nodes reach this one at.</param>
/// <param name="Port">This node's cluster port.</param>
/// <param name="Seeds">The seed nodes as HOST:PORT (this node may be one of them).</param>
/// <param name="DownAfter">Akka's <c>split-brain-resolver.stable-after</c>: the time from a node's crash to the takeover.</param>
public sealed record ClusterNode(string Host, int Port, IReadOnlyList<string> Seeds, TimeSpan DownAfter)
{
    /// <summary>
    /// Whether the user, branch, employee and subject entities live in Akka.Cluster.Sharding regions on every node
    /// (<c>--shard-entities</c>) rather than in the leading node's graph. Off by default: every membership change costs
    /// a new term, and an answer Akka drops while a shard moves holds a batch until its timeout (docs/architecture.md, "Several nodes").
    /// </summary>
    public bool ShardEntities { get; init; }

    /// <summary>The actor system's name, the same on every node (it is part of every node's address).</summary>
    public const string SystemName = "monitor";

    /// <summary>Akka's address of a node given as HOST:PORT.</summary>
    public static string Address(string hostPort) => $"akka.tcp://{SystemName}@{hostPort}";

    /// <summary>This node's address.</summary>
    public string Self => Address(string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}"));

    /// <summary>
    /// Reads HOST:PORT; null with the reason when it is not one (the command line names the option).
    /// </summary>
    public static (string Host, int Port)? Parse(string text, out string? reason)
    {
        reason = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            reason = $"'{text}' is not HOST:PORT (for example 10.0.0.5:4053)";
            return null;
        }
        return (text[..colon], port);
    }
}
