namespace Monitor.Actors.Sharding;

/// <summary>
/// The last few versions of the settings or the models, by version id: what the leading node's regions can still
/// give an entity on another node that asks, and what a node's <see cref="EntityConfigCache"/> holds for its entities.
/// </summary>
public sealed class KeptVersions<T>(int keep = KeptVersions<T>.DefaultKeep) where T : class
{
    public const int DefaultKeep = 4;

    private readonly List<(string Version, T Value)> _kept = [];

    /// <summary>Keeps <paramref name="value"/> as <paramref name="version"/> (once), dropping the oldest beyond the bound.</summary>
    public void Add(string version, T value)
    {
        if (_kept.Exists(k => k.Version == version)) return;
        _kept.Add((version, value));
        if (_kept.Count > keep) _kept.RemoveAt(0);
    }

    /// <summary>The value kept as <paramref name="version"/>; null when it is not (or no longer) kept.</summary>
    public T? Find(string version) => _kept.Find(k => k.Version == version).Value;
}
