using System.CommandLine;
using Monitor.Actors;
using Monitor.Hosting;
using Monitor.Ingest;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor replay</c>: a file of events through the same detection graph as the live path.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "events, one JSON object per line (docs/contract.md)", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "alert revisions, JSON lines", Required = true };
        var commands = new Option<FileInfo?>("--commands") { Description = "permission commands, JSON lines" };
        var dead = new Option<FileInfo?>("--dead-letters") { Description = "rejected input lines with the reason, JSON lines" };
        var settings = CommonOptions.Settings();
        var store = new Option<string?>("--store")
        {
            Description = "record alerts and commands in this alert store (SQLite file or PostgreSQL connection string), and keep the detector state beside it: "
                + "the next replay into the same store continues where this one stopped; a command already sent from it, or a suspension already in force there, is not written again",
        };
        var fresh = CommonOptions.Fresh();
        var notify = new Option<bool>("--notify")
        {
            Description = "push the replay's critical alerts, suspensions and the safety valve's stops to the settings' notification channels (docs/notifications.md); "
                + "needs --store, whose audit log records each delivery. Without it a replay tells no one",
        };
        var metrics = new MetricsOptions(null);
        var cmd = new Command("replay", "run a file of events through the detectors, as fast as the machine allows") { input, output, commands, dead, settings, store, fresh, notify };
        foreach (var o in metrics.All) cmd.Options.Add(o);
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var inForce = CommonOptions.LoadSettings(p.GetValue(settings));
            var inFile = p.GetValue(input)!;
            if (!inFile.Exists) throw new CliException($"--input: {inFile.FullName} does not exist");
            var (sink, where) = metrics.Create(p, m => Console.Error.WriteLine(m));
            await using var metricsSink = sink;
            var location = p.GetValue(store);
            if (p.GetValue(fresh) && location is null) throw new CliException("--fresh needs --store: without a store the detector state is never kept");
            if (p.GetValue(notify) && location is null) throw new CliException("--notify needs --store: each delivery is recorded in its audit log, and a notice is not sent twice from it");
            var alertStore = location is null ? null : await OfficerService.OpenStoreAsync(location);
            // The analysts' suppressions in the store judge the replay as they judged the live run (each by its own time).
            if (alertStore is not null) await new StoreSuppressions(alertStore, inForce, m => Console.Error.WriteLine(m)).RefreshAsync();
            await using var host = await MonitorHost.StartAsync(new MonitorHostOptions(inForce) { StateStore = location, Fresh = p.GetValue(fresh) });
            var graph = host.Graph;
            if (sink is not null) Console.Error.WriteLine(where);
            var runner = host.Replay(alertStore, sink, p.GetValue(metrics.Run)!);
            await using var notifier = p.GetValue(notify) ? host.Notifier(alertStore!) : null;
            if (notifier is not null) runner.BatchPublished += r => notifier.Published(r.Alerts, r.Commands, r.Shut, r.LatestEventTime);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await using var reader = new FileStream(inFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                await using var alertsOut = Cli.Writer(p.GetValue(output)!, "--output");
                await using var commandsOut = p.GetValue(commands) is { } c ? Cli.Writer(c, "--commands") : null;
                await using var deadOut = p.GetValue(dead) is { } d ? Cli.Writer(d, "--dead-letters") : null;
                await runner.RunAsync(reader, alertsOut, commandsOut, deadOut, ct);
            }
            catch (IOException e)
            {
                // A full disk or a vanished folder: the outputs stop where the write failed; they must not pass for complete.
                throw new CliException($"replay stopped, its outputs are incomplete: {e.Message}");
            }
            catch (CheckpointFailedException e)
            {
                throw new CliException($"replay stopped, the detector state cannot be saved: {e.Message}");
            }
            catch (System.Data.Common.DbException e)
            {
                throw new CliException($"replay stopped, the alert store cannot be written: --store {OfficerService.Redact(location!)}: {e.Message}");
            }
            var s = runner.Stats;
            Console.Error.WriteLine($"replayed {s.Events} events in {sw.Elapsed.TotalSeconds:F1} s ({s.Events / Math.Max(0.001, sw.Elapsed.TotalSeconds):F0} events/s): "
                + $"{s.AlertRevisions} alert revisions, {s.Commands} commands, {s.DeadLettered} dead letters, {s.Duplicates} duplicates");
            if (graph.LastCheckpoint is { } cp) Console.Error.WriteLine($"detector state saved (checkpoint {cp.Id}); the next replay into this store continues from here");
            if (notifier is not null)
            {
                var done = await notifier.DrainAsync(TimeSpan.FromMinutes(2));
                var n = notifier.Counters;
                Console.Error.WriteLine($"notifications: {n.Delivered} delivered, {n.Abandoned} given up, {n.Dropped} dropped (queue full), {n.Duplicates} sent before"
                    + (done ? "" : $", {n.Pending} still waiting after 2 min (not sent)"));
            }
            return 0;
        }));
        return cmd;
    }
}
