using Monitor.Ingest;
using System.CommandLine;
using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Detectors;

namespace Monitor.Cli.Commands;

/// <summary>
/// Starts the detection graph for a verb: with its state kept beside the alert store when there is one
/// (<see cref="StateOptions.ForStore"/>), in memory otherwise. One place, so run, demo and replay keep state alike.
/// </summary>
internal static class GraphHost
{
    public static Option<bool> Fresh() => new("--fresh") { Description = "start from empty detector state instead of continuing from the state saved beside --store" };

    public static async Task<DetectionGraph> StartAsync(SettingsInForce settings, string? store, bool fresh, ModelTraining training)
    {
        var graph = await StartGraphAsync(settings, store, fresh, training);
        settings.Changed += graph.Reconfigure; // a reload reaches the actors as a message
        return graph;
    }

    private static async Task<DetectionGraph> StartGraphAsync(SettingsInForce settings, string? store, bool fresh, ModelTraining training)
    {
        if (store is null) return DetectionGraph.Start(settings.Current, TimeProvider.System, training: training);
        var s = settings.Settings.State;
        var options = StateOptions.ForStore(store) with
        {
            CheckpointEvery = TimeSpan.FromSeconds(s.CheckpointSeconds),
            CheckpointEvents = s.CheckpointEvents,
            IdleAfter = TimeSpan.FromMinutes(s.IdleMinutes),
        };
        if (fresh && options.Provider.StartsWith("SQLite", StringComparison.Ordinal))
        {
            var path = StateOptions.StatePath(store);
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
        try
        {
            var graph = await DetectionGraph.StartAsync(settings.Current, TimeProvider.System, options, training, fresh, m => Console.Error.WriteLine(m));
            if (graph.Checkpoint == 0) Console.Error.WriteLine(fresh ? $"--fresh: detector state starts empty; it is kept in {OfficerService.Redact(options.Description)}" : $"no saved detector state yet: starting empty; it is kept in {OfficerService.Redact(options.Description)}");
            return graph;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--store: cannot open the detector state in {OfficerService.Redact(options.Description)}: {e.Message}");
        }
    }
}
