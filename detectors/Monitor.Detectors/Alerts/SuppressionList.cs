using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Alerts;

/// <summary>
/// The suppressions in force, looked up by rule and entity: a finding they cover raises no alert while its
/// event time is within an entry's time (<see cref="Suppression.Covers"/>: before its expiry, and from its start
/// when it has one). Time is judged in event time, so a replay suppresses the same. One rule and entity may
/// have several entries (the settings file's and the analysts' through the API, or one ended early and a later
/// one): any of them covers.
/// </summary>
public sealed class SuppressionList
{
    private readonly Dictionary<(string Rule, string EntityType, string EntityId), List<Suppression>> _entries = [];

    public SuppressionList(IEnumerable<Suppression> entries)
    {
        var all = new List<Suppression>();
        foreach (var s in entries)
        {
            if (s.From is { } from && from >= s.Until) continue; // covers no time at all
            all.Add(s);
            var key = (s.Rule, s.EntityType, s.EntityId);
            if (!_entries.TryGetValue(key, out var list)) _entries[key] = list = new List<Suppression>(1);
            list.Add(s);
        }
        Entries = all;
    }

    /// <summary>Every entry, in the order given (the settings file's first).</summary>
    public IReadOnlyList<Suppression> Entries { get; }

    /// <summary>An entry that covers the finding, or null.</summary>
    public Suppression? Covering(Finding f)
    {
        if (_entries.Count == 0) return null;
        if (!_entries.TryGetValue((f.Rule, EntityTypes.Of(f.EntityKind), f.EntityId), out var list)) return null;
        foreach (var s in list)
            if (s.Covers(f.EventTime)) return s;
        return null;
    }
}
