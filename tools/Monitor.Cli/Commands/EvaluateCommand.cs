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
            var a = Read(p.GetValue(alerts)!, OutputJson.ParseAlert);
            var c = p.GetValue(commands) is { } cf ? Read(cf, OutputJson.ParseCommand) : [];
            var l = LabelJson.ReadFile(p.GetValue(labels)!.FullName);
            long userDays = 0;
            if (p.GetValue(events) is { } ef)
                userDays = Evaluator.CountUserDays(File.ReadLines(ef.FullName).Select(line => EventJson.TryParse(line, out var e, out _) ? e : null).OfType<QueryLogEvent>());
            var report = Evaluator.Evaluate(a, c, l, userDays);
            Console.Write(report.Format());
            return Task.FromResult(report.AllDetected ? 0 : 1);
        }));
        return cmd;
    }

    private static List<T> Read<T>(FileInfo file, Func<string, T> parse)
    {
        if (!file.Exists) throw new CliException($"{file.FullName} does not exist");
        return File.ReadLines(file.FullName).Where(l => l.Length > 0).Select(parse).ToList();
    }
}
