namespace Monitor.Models;

/// <summary>
/// One entity's finished feature window (a user-day or a branch-day): what the detectors hand to training.
/// <paramref name="Groups"/> are the peer groups it belongs to, most specific first (a user: its branch, its
/// parent branch, the whole bank). Windows that raised an alert, or were too small to say much, are not
/// <paramref name="Trainable"/>: a model must not learn an incident, or a day of three reports, as ordinary.
/// </summary>
public sealed record ClosedWindow(string EntityId, IReadOnlyList<string> Groups, int Day, float[] Features, bool Trainable);
