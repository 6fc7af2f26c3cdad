using Monitor.Contracts;
using Monitor.Models;

namespace Monitor.Detectors;

/// <summary>What processing some events produced, in order: alert revisions to publish, permission commands, and closed windows for training.</summary>
public sealed class DetectionOutput
{
    public List<Alert> Alerts { get; } = [];
    public List<PermissionCommand> Commands { get; } = [];

    /// <summary>Day windows closed, for the behaviour models' training.</summary>
    public List<ClosedWindow> Windows { get; } = [];

    public void AddRange(DetectionOutput other)
    {
        Alerts.AddRange(other.Alerts);
        Commands.AddRange(other.Commands);
        Windows.AddRange(other.Windows);
    }
}
