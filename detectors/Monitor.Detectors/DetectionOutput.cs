using Monitor.Contracts;
using Monitor.Models;

namespace Monitor.Detectors;

/// <summary>What processing some events produced, in order: alert revisions to publish, permission commands, closed windows for training, and users' closed days.</summary>
public sealed class DetectionOutput
{
    public List<Alert> Alerts { get; } = [];
    public List<PermissionCommand> Commands { get; } = [];

    /// <summary>Day windows closed, for the behaviour models' training.</summary>
    public List<ClosedWindow> Windows { get; } = [];

    /// <summary>Users' local days closed, for the branches' daily verification sheets.</summary>
    public List<UserDay> Days { get; } = [];

    public void AddRange(DetectionOutput other)
    {
        Alerts.AddRange(other.Alerts);
        Commands.AddRange(other.Commands);
        Windows.AddRange(other.Windows);
        Days.AddRange(other.Days);
    }
}
