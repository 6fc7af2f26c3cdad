using Monitor.Detectors.Alerts;
using Monitor.Detectors.Calendar;
using Monitor.Detectors.Settings;
using Monitor.Models;

namespace Monitor.Detectors;

/// <summary>
/// What one entity's detectors read of the settings and models in force: settings, the resolved branch policies,
/// the work calendar, the suppressions and the peer models. Each entity's actor owns its own and changes it only
/// when told, between two messages (<c>UseSettings</c>, <c>UseModels</c>), so nothing changes behind its back
/// while it judges an event, and every entity takes a reload at the same point of the stream. Tests and the
/// detector harness use one directly.
/// </summary>
public sealed class DetectorContext
{
    private DetectorSnapshot _current;
    private PeerModelSet _models;

    public DetectorContext(DetectionSettings settings, WorkCalendar? calendar = null)
        : this(new DetectorSnapshot(settings, calendar ?? WorkCalendar.Load(settings.CalendarFiles)), PeerModelSet.Empty)
    {
    }

    public DetectorContext(DetectorSnapshot current, PeerModelSet models)
    {
        _current = current;
        _models = models;
    }

    /// <summary>The settings in force; read it once per event so one event sees one version.</summary>
    public DetectorSnapshot Current => _current;

    public DetectionSettings Settings => _current.Settings;
    public BranchPolicies Policies => _current.Policies;
    public WorkCalendar Calendar => _current.Calendar;

    /// <summary>Puts validated settings in force (the caller keeps the old ones when loading fails).</summary>
    public void Reload(DetectionSettings settings) => Use(DetectorSnapshot.Load(settings));

    /// <summary>Puts a loaded version of the settings in force.</summary>
    public void Use(DetectorSnapshot settings) => _current = settings;

    /// <summary>The peer models in force: behaviour windows closed from now on are scored against them.</summary>
    public PeerModelSet Models => _models;

    /// <summary>Puts a newly trained (or reloaded) model set in force.</summary>
    public void Install(PeerModelSet models) => _models = models;

    /// <summary>Defaults and the shipped calendar.</summary>
    public static DetectorContext Default() => new(new DetectionSettings());
}

/// <summary>One consistent version of everything the detectors read from settings; immutable, shared by every entity.</summary>
public sealed class DetectorSnapshot(DetectionSettings settings, WorkCalendar calendar)
{
    /// <summary>Validates <paramref name="settings"/> and loads their calendar files (throws when either is wrong).</summary>
    public static DetectorSnapshot Load(DetectionSettings settings)
    {
        SettingsLoader.Validate(settings);
        return new DetectorSnapshot(settings, WorkCalendar.Load(settings.CalendarFiles));
    }

    public DetectionSettings Settings { get; } = settings;
    public BranchPolicies Policies { get; } = new(settings);
    public WorkCalendar Calendar { get; } = calendar;
    public SuppressionList Suppressions { get; } = new(settings.Suppressions);
}
