namespace Monitor.Models;

/// <summary>
/// Every peer group's model from one training run, under one version: what detection scores against, what is
/// saved to disk and reloaded on restart. Immutable; a new training run makes a new set.
/// </summary>
public sealed record PeerModelSet(string Version, int TrainedThroughDay, IReadOnlyDictionary<string, PeerModel> Models)
{
    public static readonly PeerModelSet Empty = new("none", int.MinValue, new Dictionary<string, PeerModel>());

    /// <summary>The model of the most specific group that has one, with that group's name.</summary>
    public (string Group, PeerModel Model)? For(IReadOnlyList<string> groups)
    {
        foreach (var g in groups)
            if (Models.TryGetValue(g, out var m)) return (g, m);
        return null;
    }
}
