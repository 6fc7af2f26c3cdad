using Monitor.Models;

namespace Monitor.Actors;

/// <summary>When the behaviour models retrain.</summary>
public enum TrainingMode
{
    /// <summary>Never: scoring uses whatever models were loaded (or only own history).</summary>
    Off,

    /// <summary>At each new event day, with detection paused until the models are in: replays give the same alerts every time.</summary>
    EachEventDay,

    /// <summary>On a wall-clock schedule in the background; detection never waits (live runs).</summary>
    Background,
}

/// <summary>How the detection graph trains and keeps its behaviour models.</summary>
public sealed record ModelTraining(TrainingMode Mode, ModelStore? Store = null)
{
    /// <summary>Deterministic training at event-day boundaries, nothing saved: replays, evaluation, tests.</summary>
    public static readonly ModelTraining Replay = new(TrainingMode.EachEventDay);
}
