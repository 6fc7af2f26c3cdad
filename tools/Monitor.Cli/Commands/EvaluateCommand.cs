using System.CommandLine;
using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Simulator;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor evaluate</c>: what a run found compared with what was injected.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var alerts = new Option<FileInfo>("--alerts") { Description = "alert revisions (JSON lines) from replay or the alerts topic", Required = true };
        var labels = new Option<FileInfo?>("--labels") { Description = "labels file from simulate (the injected incidents)" };
        var store = new Option<string?>("--store") { Description = "an alert store whose officers' verdicts are the labels (confirmed = violation, dismissed = false alert): precision and recall per rule; only read" };
        var commands = new Option<FileInfo?>("--commands") { Description = "permission commands (JSON lines)" };
        var events = new Option<FileInfo?>("--events") { Description = "the events file, to count user-days for the false-alert rate and to time each rule from the moment its threshold was crossed (and, with --store, the span whose verdicts count)" };
        var settings = CommonOptions.Settings();
        var cmd = new Command("evaluate", "compare alerts with labelled incidents (--labels) or with the officers' verdicts in a store (--store): detected, missed, time to detect, false alerts, precision, recall")
        {
            alerts, labels, store, commands, events, settings,
        };
        cmd.SetAction(p => Cli.Guard(async () =>
        {
            if (p.GetValue(labels) is null && p.GetValue(store) is null)
                throw new CliException("evaluate needs --labels (from simulate) or --store (the officers' verdicts), or both");
            var a = JsonLinesFile.Read(p.GetValue(alerts)!, "--alerts", "an alert revision (JSON lines from replay or the alerts topic)", OutputJson.ParseAlert);
            var c = p.GetValue(commands) is { } cf ? JsonLinesFile.Read(cf, "--commands", "a permission command (JSON lines from replay or the commands topic)", OutputJson.ParseCommand) : [];
            var l = p.GetValue(labels) is { } lf ? JsonLinesFile.Read(lf, "--labels", "an incident label (JSON lines from simulate)", CompleteLabel) : null;
            long userDays = 0;
            (DateTimeOffset From, DateTimeOffset To)? span = null;
            ThresholdCrossing? crossing = null;
            var thresholds = CommonOptions.LoadSettings(p.GetValue(settings)).Settings;
            if (p.GetValue(events) is { } ef)
            {
                if (!ef.Exists) throw new CliException($"--events: {ef.FullName} does not exist");
                var read = File.ReadLines(ef.FullName).Select(line => EventJson.TryParse(line, out var e, out _) ? e : null).OfType<QueryLogEvent>().ToList();
                userDays = Evaluator.CountUserDays(read);
                if (read.Count > 0) span = (read.Min(e => e.OccurredAt), read.Max(e => e.OccurredAt));
                if (l is not null) crossing = new ThresholdCrossing(read, thresholds, l);
            }
            var code = 0;
            if (l is not null)
            {
                var report = Evaluator.Evaluate(a, c, l, userDays, crossing);
                Console.Write(report.Format());
                code = report.AllDetected ? 0 : 1;
            }
            if (p.GetValue(store) is { } location)
            {
                // The verdicts on alerts of the span evaluated: the events' span, else the alerts' own.
                span ??= a.Count == 0 ? null : (a.Min(x => x.EventTime), a.Max(x => x.LastEventTime));
                var opened = await CommonOptions.OpenExistingStoreAsync(location);
                var judged = span is { } s ? await opened.JudgedAlertsAsync(s.From, s.To) : [];
                var verdicts = judged.Select(j => new Verdict(j.Alert.AlertId, j.Alert.Rule, j.State == Monitor.Store.AlertStates.Confirmed)).ToList();
                if (l is not null) Console.WriteLine();
                Console.Write(Backtest.Score(a, verdicts).Format(Monitor.Hosting.OfficerService.Redact(location)));
            }
            return code;
        }));
        return cmd;
    }

    /// <summary>A label with the fields evaluate reads; an alert or an event read as a label lacks them.</summary>
    private static IncidentLabel CompleteLabel(string line)
    {
        var l = LabelJson.Parse(line);
        if (l.Kind is null || l.ExpectedRules is null || l.EntityType is null || l.EntityId is null || l.BranchId is null)
            throw new FormatException("missing fields");
        return l;
    }
}
