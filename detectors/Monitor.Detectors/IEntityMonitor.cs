using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Pipeline;

namespace Monitor.Detectors;

/// <summary>
/// The detection state of one entity (a user, a branch, an employee, a share of subjects), fed its events in
/// order. Its whole state survives a restart through <see cref="IDurableState"/>.
/// </summary>
public interface IEntityMonitor : IDurableState
{
    void Process(QueryLogEvent e, DetectionOutput output);

    /// <summary>
    /// Event time has moved past local day <see cref="DayClose.Day"/> (a day number) at <see cref="DayClose.At"/>:
    /// close what was waiting for that day to end. Most entities wait for nothing.
    /// </summary>
    void EndOfDay(DayClose close, DetectionOutput output)
    {
    }

    /// <summary>
    /// Takes in an account of the bank's account directory (import-accounts), without running any rule; keeps the
    /// later of what the entity knows and what the directory says. Most entities keep nothing of it.
    /// </summary>
    void Seed(AccountSeed seed)
    {
    }
}
