using Monitor.Detectors.Calendar;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors;

/// <summary>
/// What every entity's detectors share and never change while running: settings, the resolved branch
/// policies and the work calendar. One instance per detection graph.
/// </summary>
public sealed class DetectorContext
{
    public DetectorContext(DetectionSettings settings, WorkCalendar? calendar = null)
    {
        Settings = settings;
        Policies = new BranchPolicies(settings);
        Calendar = calendar ?? WorkCalendar.Load(settings.CalendarFiles);
    }

    public DetectionSettings Settings { get; }
    public BranchPolicies Policies { get; }
    public WorkCalendar Calendar { get; }

    /// <summary>Defaults and the shipped calendar.</summary>
    public static DetectorContext Default() => new(new DetectionSettings());
}
