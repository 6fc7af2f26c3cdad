using Monitor.Detectors.Alerts;
using Monitor.Detectors.Calendar;
using Monitor.Detectors.Settings;
using Monitor.Models;

namespace Monitor.Detectors;

/// <summary>
/// What every entity's detectors share: settings, the resolved branch policies, the work calendar and the
/// suppressions. One instance per detection graph; <see cref="Reload"/> swaps in new settings atomically, so
/// an analyst's change applies from the next event on without a restart.
/// </summary>
public sealed class DetectorContext
{
    private volatile DetectorSnapshot _current;
    private volatile PeerModelSet _models = PeerModelSet.Empty;

    public DetectorContext(DetectionSettings settings, WorkCalendar? calendar = null)
    {
        _current = new DetectorSnapshot(settings, calendar ?? WorkCalendar.Load(settings.CalendarFiles));
    }

    /// <summary>The settings in force; read it once per event so one event sees one version.</summary>
    public DetectorSnapshot Current => _current;

    public DetectionSettings Settings => _current.Settings;
    public BranchPolicies Policies => _current.Policies;
    public WorkCalendar Calendar => _current.Calendar;

    /// <summary>Puts validated settings in force (the caller keeps the old ones when loading fails).</summary>
    public void Reload(DetectionSettings settings)
    {
        SettingsLoader.Validate(settings);
        _current = new DetectorSnapshot(settings, WorkCalendar.Load(settings.CalendarFiles));
    }

    /// <summary>The peer models in force: behaviour windows closed from now on are scored against them.</summary>
    public PeerModelSet Models => _models;

    /// <summary>Puts a newly trained (or reloaded) model set in force; the swap is atomic, detection never waits for it.</summary>
    public void Install(PeerModelSet models) => _models = models;

    /// <summary>Defaults and the shipped calendar.</summary>
    public static DetectorContext Default() => new(new DetectionSettings());
}

/// <summary>One consistent version of everything the detectors read from settings.</summary>
public sealed class DetectorSnapshot(DetectionSettings settings, WorkCalendar calendar)
{
    public DetectionSettings Settings { get; } = settings;
    public BranchPolicies Policies { get; } = new(settings);
    public WorkCalendar Calendar { get; } = calendar;
    public SuppressionList Suppressions { get; } = new(settings.Suppressions);
}
