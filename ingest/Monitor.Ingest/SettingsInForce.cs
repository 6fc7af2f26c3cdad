using Monitor.Detectors;
using Monitor.Detectors.Settings;

namespace Monitor.Ingest;

/// <summary>
/// The settings a running monitor has in force, for what lives outside the detection graph (the officers' API
/// reads its keys here on every request) and to tell the graph of a change (<see cref="Changed"/>, which the
/// composition root wires to <c>DetectionGraph.Reconfigure</c>). The actors never read it: they are told.
/// It is the one place where the settings file's version and the alert store's suppressions (made through the
/// officers' API, <see cref="UseStored"/>) become the one snapshot the detectors judge by: a reload of the file
/// keeps the store's suppressions, and a change of those keeps the file's settings. Replaced only as a whole,
/// validated first.
/// </summary>
public sealed class SettingsInForce(DetectorSnapshot initial)
{
    private readonly Lock _lock = new();
    private volatile DetectorSnapshot _current = initial;

    public SettingsInForce(DetectionSettings settings)
        : this(DetectorSnapshot.Load(settings))
    {
    }

    public DetectorSnapshot Current => _current;

    public DetectionSettings Settings => _current.Settings;

    /// <summary>Raised after new settings are in force here.</summary>
    public event Action<DetectorSnapshot>? Changed;

    /// <summary>
    /// Validates and loads <paramref name="settings"/> (a reload of the file), puts them in force with the store's
    /// suppressions as they are, and tells <see cref="Changed"/>; throws, keeping the old ones, when they do not load.
    /// </summary>
    public void Replace(DetectionSettings settings)
    {
        var loaded = DetectorSnapshot.Load(settings);
        lock (_lock) // told in the order they came in force: the graph must end with the last one (telling it is a message, it does not block)
        {
            _current = loaded.WithStored(_current.Stored);
            Changed?.Invoke(_current);
        }
    }

    /// <summary>
    /// Puts <paramref name="stored"/> in force as the alert store's suppressions, beside the settings file's, and
    /// tells <see cref="Changed"/>; nothing happens (and nobody is told) when they are the ones in force already.
    /// Returns whether they changed.
    /// </summary>
    public bool UseStored(IReadOnlyList<Suppression> stored)
    {
        lock (_lock)
        {
            if (_current.Stored.SequenceEqual(stored)) return false;
            _current = _current.WithStored([.. stored]);
            Changed?.Invoke(_current);
            return true;
        }
    }
}
