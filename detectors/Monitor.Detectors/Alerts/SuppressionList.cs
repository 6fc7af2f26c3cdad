using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Alerts;

/// <summary>
/// The suppressions in force, looked up by rule and entity: a finding they cover raises no alert while its
/// event time is before the entry's expiry. Expiry is judged in event time, so a replay suppresses the same.
/// </summary>
public sealed class SuppressionList
{
    private readonly Dictionary<(string Rule, string EntityType, string EntityId), Suppression> _entries = [];

    public SuppressionList(IEnumerable<Suppression> entries)
    {
        foreach (var s in entries)
        {
            var key = (s.Rule, s.EntityType, s.EntityId);
            if (!_entries.TryGetValue(key, out var existing) || existing.Until < s.Until) _entries[key] = s;
        }
    }

    /// <summary>The entry that covers the finding, or null.</summary>
    public Suppression? Covering(Finding f)
    {
        if (_entries.Count == 0) return null;
        return _entries.TryGetValue((f.Rule, EntityTypes.Of(f.EntityKind), f.EntityId), out var s) && f.EventTime < s.Until ? s : null;
    }
}
