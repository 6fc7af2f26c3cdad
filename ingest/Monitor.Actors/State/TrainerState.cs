using System.Text.Json;
using Akka.Event;
using Monitor.Contracts.State;
using Monitor.Models;

namespace Monitor.Actors.State;

/// <summary>
/// The model trainer's part of a checkpoint: its closed day windows and the peer models in force (as their JSON,
/// the form <see cref="ModelStore"/> keeps), so a restored monitor scores the events after the checkpoint with
/// the models it had then and retrains from the same windows.
/// </summary>
public static class TrainerState
{
    /// <param name="set">The closed day windows.</param>
    /// <param name="modelsJson">The models in force as JSON (<see cref="Json"/>; the trainer keeps it until a run installs others).</param>
    public static byte[] Save(TrainingSet set, string modelsJson)
    {
        using var w = new StateWriter();
        w.Section("ModelTrainer");
        set.Save(w);
        w.Write(modelsJson);
        return w.ToArray();
    }

    /// <summary>The form the models take in the trainer's state.</summary>
    public static string Json(PeerModelSet models) => JsonSerializer.Serialize(models);

    /// <summary>Restores <paramref name="set"/> and returns the models in force; null (with one logged line) when the bytes cannot be read.</summary>
    public static PeerModelSet? Restore(byte[] bytes, TrainingSet set, ILoggingAdapter log)
    {
        try
        {
            using var r = StateReader.Open(bytes);
            r.Section("ModelTrainer");
            set.Restore(r);
            var models = JsonSerializer.Deserialize<PeerModelSet>(r.ReadString());
            r.End();
            return models;
        }
        catch (Exception e) when (e is StateFormatException or JsonException)
        {
            log.Warning("dropped the model trainer's saved day windows ({0}); training starts from the windows that close from now on", e.Message);
            return null;
        }
    }
}
