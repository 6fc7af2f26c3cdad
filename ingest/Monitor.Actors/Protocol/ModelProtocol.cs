using Monitor.Models;

namespace Monitor.Actors;

/// <summary>Day windows closed by a batch, for the model trainer's training set.</summary>
public sealed record TrainingWindows(IReadOnlyList<ClosedWindow> Windows);

/// <summary>Train now on the windows up to <paramref name="ThroughDay"/> (a day number) and answer <see cref="ModelsInstalled"/> once they are in force.</summary>
public sealed record TrainThrough(int ThroughDay);

/// <summary>The coordinator, starting, asks the trainer which models are in force (restored or loaded); the answer is <see cref="ModelsInstalled"/>, and later runs in the background are told the same way.</summary>
public sealed record ModelsWanted
{
    public static readonly ModelsWanted Instance = new();
}

/// <summary>
/// The models in force after a training run (or, with <paramref name="Error"/>, the previous ones, the run having
/// failed), or at start. The coordinator passes them on to every entity (<see cref="UseModels"/>).
/// </summary>
public sealed record ModelsInstalled(PeerModelSet Models, string? Error = null)
{
    public string Version => Models.Version;
    public int Groups => Models.Models.Count;
}
