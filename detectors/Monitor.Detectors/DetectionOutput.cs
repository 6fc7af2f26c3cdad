using Monitor.Contracts;

namespace Monitor.Detectors;

/// <summary>What processing some events produced, in order: alert revisions to publish and permission commands.</summary>
public sealed class DetectionOutput
{
    public List<Alert> Alerts { get; } = [];
    public List<PermissionCommand> Commands { get; } = [];

    public void AddRange(DetectionOutput other)
    {
        Alerts.AddRange(other.Alerts);
        Commands.AddRange(other.Commands);
    }
}
