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
        var labels = new Option<FileInfo>("--labels") { Description = "labels file from simulate", Required = true };
        var commands = new Option<FileInfo?>("--commands") { Description = "permission commands (JSON lines)" };
        var events = new Option<FileInfo?>("--events") { Description = "the events file, to count user-days for the false-alert rate" };
        var cmd = new Command("evaluate", "compare alerts with labelled incidents: detected, missed, time to detect, false alerts") { alerts, labels, commands, events };
        cmd.SetAction(p => Cli.Guard(() =>
        {
            var a = Read(p.GetValue(alerts)!, "--alerts", "an alert revision (JSON lines from replay or the alerts topic)", OutputJson.ParseAlert);
            var c = p.GetValue(commands) is { } cf ? Read(cf, "--commands", "a permission command (JSON lines from replay or the commands topic)", OutputJson.ParseCommand) : [];
            var l = Read(p.GetValue(labels)!, "--labels", "an incident label (JSON lines from simulate)", CompleteLabel);
            long userDays = 0;
            if (p.GetValue(events) is { } ef)
            {
                if (!ef.Exists) throw new CliException($"--events: {ef.FullName} does not exist");
                userDays = Evaluator.CountUserDays(File.ReadLines(ef.FullName).Select(line => EventJson.TryParse(line, out var e, out _) ? e : null).OfType<QueryLogEvent>());
            }
            var report = Evaluator.Evaluate(a, c, l, userDays);
            Console.Write(report.Format());
            return Task.FromResult(report.AllDetected ? 0 : 1);
        }));
        return cmd;
    }

    /// <summary>
    /// Reads a JSON-lines file, refusing it at its first line that is not <paramref name="kind"/>: an events file
    /// given as alerts, or a JSON array (the officers' <c>/api/labels</c> answer) given as labels, is one line.
    /// </summary>
    private static List<T> Read<T>(FileInfo file, string option, string kind, Func<string, T> parse)
    {
        if (!file.Exists) throw new CliException($"{option}: {file.FullName} does not exist");
        var items = new List<T>();
        var n = 0;
        foreach (var line in File.ReadLines(file.FullName))
        {
            n++;
            if (line.Length == 0) continue;
            try
            {
                items.Add(parse(line));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                var hint = line.TrimStart().StartsWith('[') ? " (a JSON array: this needs one object per line)" : "";
                throw new CliException($"{option}: {file.Name} line {n} is not {kind}{hint}");
            }
        }
        return items;
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
