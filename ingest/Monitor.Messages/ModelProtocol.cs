using Monitor.Models;

namespace Monitor.Messages;

/// <summary>Day windows closed by a batch, for the model trainer's training set.</summary>
public sealed record TrainingWindows(IReadOnlyList<ClosedWindow> Windows);

/// <summary>Train now on the windows up to <paramref name="ThroughDay"/> (a day number) and answer <see cref="ModelsInstalled"/> once they are in force.</summary>
public sealed record TrainThrough(int ThroughDay);

/// <summary>A training run finished and its models are in force (or, with <paramref name="Error"/>, failed and the previous ones stay).</summary>
public sealed record ModelsInstalled(string Version, int Groups, string? Error = null);
