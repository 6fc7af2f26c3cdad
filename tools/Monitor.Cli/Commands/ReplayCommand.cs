using System.CommandLine;
using Monitor.Actors;
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
            Description = "record alerts and commands in this alert store (SQLite file or PostgreSQL connection string); a command already sent from it, or a suspension already in force there, is not written again",
        };
        var metrics = new MetricsOptions(null);
        var cmd = new Command("replay", "run a file of events through the detectors, as fast as the machine allows") { input, output, commands, dead, settings, store };
        foreach (var o in metrics.All) cmd.Options.Add(o);
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var context = CommonOptions.LoadContext(p.GetValue(settings));
            var inFile = p.GetValue(input)!;
            if (!inFile.Exists) throw new CliException($"--input: {inFile.FullName} does not exist");
            await using var graph = DetectionGraph.Start(context, TimeProvider.System);
            var alertStore = p.GetValue(store) is { } location ? await Monitor.Store.AlertStore.OpenAsync(location, TimeProvider.System) : null;
            var runner = new ReplayRunner(graph) { Ledger = alertStore is null ? null : new StoreLedger(alertStore) };
            var (sink, where) = metrics.Create(p, m => Console.Error.WriteLine(m));
            await using var metricsSink = sink;
            MetricsReporter? reporter = null;
            if (sink is not null)
            {
                Console.Error.WriteLine(where);
                reporter = new MetricsReporter(sink, runner.Stats, TimeProvider.System, alertStore, p.GetValue(metrics.Run)!);
                runner.BatchPublished += reporter.Observe;
            }
            await using var reader = new FileStream(inFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await using var alertsOut = Cli.Writer(p.GetValue(output)!);
            await using var commandsOut = p.GetValue(commands) is { } c ? Cli.Writer(c) : null;
            await using var deadOut = p.GetValue(dead) is { } d ? Cli.Writer(d) : null;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await runner.RunAsync(reader, alertsOut, commandsOut, deadOut, ct);
            var s = runner.Stats;
            Console.Error.WriteLine($"replayed {s.Events} events in {sw.Elapsed.TotalSeconds:F1} s ({s.Events / Math.Max(0.001, sw.Elapsed.TotalSeconds):F0} events/s): "
                + $"{s.AlertRevisions} alert revisions, {s.Commands} commands, {s.DeadLettered} dead letters, {s.Duplicates} duplicates");
            return 0;
        }));
        return cmd;
    }
}
