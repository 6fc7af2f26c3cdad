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

/// <summary>
/// One consistent version of everything the detectors read from settings; immutable, shared by every entity. Its
/// suppressions are the settings file's and those the analysts made through the officers' API (kept in the alert
/// store, <see cref="Stored"/>): the hosting layer puts the store's in with <see cref="WithStored"/>, and a reload of
/// the file keeps them, so both reach the entities the same way, as one snapshot.
/// </summary>
public sealed class DetectorSnapshot
{
    public DetectorSnapshot(DetectionSettings settings, WorkCalendar calendar)
        : this(settings, new BranchPolicies(settings), calendar, [])
    {
    }

    private DetectorSnapshot(DetectionSettings settings, BranchPolicies policies, WorkCalendar calendar, IReadOnlyList<Suppression> stored)
    {
        Settings = settings;
        Policies = policies;
        Calendar = calendar;
        Stored = stored;
        Suppressions = new SuppressionList(settings.Suppressions.Concat(stored));
    }

    /// <summary>Validates <paramref name="settings"/> and loads their calendar files (throws when either is wrong).</summary>
    public static DetectorSnapshot Load(DetectionSettings settings)
    {
        SettingsLoader.Validate(settings);
        return new DetectorSnapshot(settings, WorkCalendar.Load(settings.CalendarFiles));
    }

    public DetectionSettings Settings { get; }
    public BranchPolicies Policies { get; }
    public WorkCalendar Calendar { get; }

    /// <summary>The suppressions from the alert store (made through the officers' API), beside the settings file's.</summary>
    public IReadOnlyList<Suppression> Stored { get; }

    /// <summary>The settings file's suppressions and <see cref="Stored"/>, looked up by rule and entity.</summary>
    public SuppressionList Suppressions { get; }

    /// <summary>The same settings, policies and calendar with <paramref name="stored"/> as the store's suppressions (in place of any before).</summary>
    public DetectorSnapshot WithStored(IReadOnlyList<Suppression> stored) => new(Settings, Policies, Calendar, stored);
}
