using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// What the API needs from the running monitor: the store, the settings in force (keys are read afresh on every
/// request), recent events, a way to send an officer's command now, a way to reopen a branch in the detection
/// graph, and why the monitor is not ready, if it is not (<see cref="ReadinessState"/>: the pipeline stopped,
/// Kafka unreachable, the store refusing writes).
/// </summary>
public sealed record ApiDependencies(
    AlertStore Store,
    DetectorContext Context,
    RecentEvents Events,
    Func<PermissionCommand, Task> Send,
    Action<string> Reopen,
    ReadinessState Readiness);
