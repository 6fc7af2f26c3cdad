using Monitor.Contracts;

namespace Monitor.Detectors;

/// <summary>The detection state of one entity (a user, a branch, an employee, a share of subjects), fed its events in order.</summary>
public interface IEntityMonitor
{
    void Process(QueryLogEvent e, DetectionOutput output);
}
