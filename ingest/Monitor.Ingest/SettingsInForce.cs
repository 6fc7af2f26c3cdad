using Monitor.Detectors;
using Monitor.Detectors.Settings;

namespace Monitor.Ingest;

/// <summary>
/// The settings a running monitor has in force, for what lives outside the detection graph (the officers' API
/// reads its keys here on every request) and to tell the graph of a reload (<see cref="Changed"/>, which the
/// composition root wires to <c>DetectionGraph.Reconfigure</c>). The actors never read it: they are told.
/// Replaced only as a whole, validated first.
/// </summary>
public sealed class SettingsInForce(DetectorSnapshot initial)
{
    private volatile DetectorSnapshot _current = initial;

    public SettingsInForce(DetectionSettings settings)
        : this(DetectorSnapshot.Load(settings))
    {
    }

    public DetectorSnapshot Current => _current;

    public DetectionSettings Settings => _current.Settings;

    /// <summary>Raised after new settings are in force here.</summary>
    public event Action<DetectorSnapshot>? Changed;

    /// <summary>Validates and loads <paramref name="settings"/>, puts them in force and tells <see cref="Changed"/>; throws, keeping the old ones, when they do not load.</summary>
    public void Replace(DetectionSettings settings)
    {
        var loaded = DetectorSnapshot.Load(settings);
        _current = loaded;
        Changed?.Invoke(loaded);
    }
}
