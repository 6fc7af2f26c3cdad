using System.CommandLine;
using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Hosting;
using Monitor.Store;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor backtest</c>: two sets of alerts over the same days compared rule by rule and scored against the
/// officers' verdicts in the store, as a table, a JSON file and a chart. The sets come from one history replayed
/// under the baseline and the candidate settings (<see cref="BacktestReplay"/>), or from what live and a flight
/// published (<c>--flight</c>, <see cref="BacktestFlight"/>); the comparison is <see cref="Backtest.Compare"/>'s either
/// way. Nothing is written to the store.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var replay = new BacktestReplay();
        var flight = new BacktestFlight();
        var store = new Option<string?>("--store") { Description = "an alert store to read the officers' verdicts from (confirmed = violation, dismissed = false alert); only read, never written" };
        var output = new Option<FileInfo?>("--output") { Description = "write the comparison as JSON (docs/tuning.md)" };
        var chart = new Option<FileInfo?>("--chart") { Description = "draw alerts per rule per day, baseline against candidate, as a PNG (default: --output's name with .png)" };
        var cmd = new Command("backtest", "compare two sets of alerts rule by rule against the officers' verdicts: a history replayed under the baseline and the candidate settings (--events, --candidate), or a live flight against live (--flight)");
        foreach (var o in replay.All.Concat(flight.All)) cmd.Options.Add(o);
        cmd.Options.Add(store);
        cmd.Options.Add(output);
        cmd.Options.Add(chart);
        cmd.Validators.Add(r =>
        {
            // Which backtest: a mistake here is a usage mistake, one line with where help is.
            var (f, g) = (flight.Given(r), replay.Given(r));
            if (f is not null && g is not null)
                r.AddError(f == flight.Name.Name ? $"{f} is for comparing a live flight with live, {g} for replaying a history: give the one or the other"
                    : $"{f} goes with --flight NAME (comparing a live flight with live), not with {g} (replaying a history)");
            else if (f is not null && flight.Mistake(r) is { } mistake) r.AddError(mistake);
            else if (f is null && replay.Missing(r) is { } missing) r.AddError($"{missing} (or --flight NAME, to compare a live flight with live)");
        });
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var location = p.GetValue(store);
            var outFile = p.GetValue(output);
            var chartFile = p.GetValue(chart) ?? (outFile is null ? null : new FileInfo(Path.ChangeExtension(outFile.FullName, ".png")));
            if (outFile is not null && chartFile is not null && outFile.FullName == chartFile.FullName)
                throw new CliException($"--chart: {chartFile.FullName} is also --output; name another file");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var isFlight = p.GetValue(flight.Name) is not null;
            if (isFlight) flight.Check(p); // its inputs before anything is opened or read
            else replay.Check(p);
            AlertStore? alertStore = location is null ? null : await CommonOptions.OpenExistingStoreAsync(location);
            // The outputs are opened before the work: one that cannot be written is said at once, not after it.
            await using var jsonOut = outFile is null ? null : Cli.Writer(outFile, "--output");
            await using var chartOut = chartFile is null ? null : Cli.Writer(chartFile, "--chart");

            var (report, done) = isFlight
                ? await flight.CompareAsync(p, alertStore, location, ct)
                : await replay.CompareAsync(p, alertStore, location, ct);
            Console.Write(BacktestView.Format(report, location is null ? null : OfficerService.Redact(location)));
            if (jsonOut is not null)
            {
                await jsonOut.WriteAsync(report.ToJson());
                await jsonOut.WriteLineAsync();
            }
            if (chartOut is not null)
            {
                byte[] png;
                try
                {
                    png = BacktestChart.Png(report);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or TypeInitializationException or DllNotFoundException)
                {
                    // SkiaSharp's native library missing or a layout ScottPlot refuses: the table and the JSON stand.
                    throw new CliException($"--chart: cannot draw {chartFile!.FullName}: {e.Message}");
                }
                await chartOut.BaseStream.WriteAsync(png, ct);
            }
            Console.Error.WriteLine($"{done} in {sw.Elapsed.TotalSeconds:F1} s"
                + (outFile is null ? "" : $"; wrote {outFile.FullName}") + (chartFile is null ? "" : $" and {chartFile.FullName}"));
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// The officers' verdicts in <paramref name="store"/> on alerts whose event time lies between <paramref name="from"/>
    /// and <paramref name="to"/> and that <paramref name="keep"/> keeps: a store with a longer history does not lower recall.
    /// </summary>
    public static async Task<IReadOnlyList<Verdict>> VerdictsAsync(AlertStore store, string location, DateTimeOffset from, DateTimeOffset to, Func<Alert, bool>? keep = null)
    {
        try
        {
            return [.. (await store.JudgedAlertsAsync(from, to)).Where(a => keep?.Invoke(a.Alert) ?? true)
                .Select(a => new Verdict(a.Alert.AlertId, a.Alert.Rule, a.State == AlertStates.Confirmed))];
        }
        catch (System.Data.Common.DbException e)
        {
            throw new CliException($"--store: cannot read the verdicts in {OfficerService.Redact(location)}: {e.Message}");
        }
    }
}
