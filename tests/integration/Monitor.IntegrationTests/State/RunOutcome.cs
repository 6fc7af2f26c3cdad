using System.Text.Json;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// What a run of the monitor published, in the form a restart must not change: each alert's final revision
/// (rule, count, severity) by alert id, and how often each command went out.
/// </summary>
internal sealed record RunOutcome(IReadOnlyDictionary<string, FinalAlert> Alerts, IReadOnlyDictionary<string, int> Commands)
{
    /// <summary>What a run published on the topics named after it (<c>name.alerts</c>, <c>name.commands</c>).</summary>
    public static RunOutcome FromTopics(string bootstrap, string name) =>
        From(TopicReader.ReadAll(bootstrap, name + ".alerts", TimeSpan.FromSeconds(60)), TopicReader.ReadAll(bootstrap, name + ".commands", TimeSpan.FromSeconds(60)));

    public static RunOutcome FromFiles(IEnumerable<string> alertFiles, IEnumerable<string> commandFiles) =>
        From(alertFiles.SelectMany(File.ReadLines), commandFiles.SelectMany(File.ReadLines));

    public static RunOutcome From(IEnumerable<string> alertLines, IEnumerable<string> commandLines)
    {
        var alerts = new Dictionary<string, FinalAlert>(StringComparer.Ordinal);
        foreach (var line in alertLines.Where(l => l.Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var a = doc.RootElement;
            var id = a.GetProperty("alertId").GetString()!;
            var final = new FinalAlert(a.GetProperty("rule").GetString()!, a.GetProperty("revision").GetInt32(), a.GetProperty("count").GetInt32(), a.GetProperty("severity").GetString()!);
            if (!alerts.TryGetValue(id, out var known) || known.Revision < final.Revision) alerts[id] = final;
        }
        var commands = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in commandLines.Where(l => l.Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var id = doc.RootElement.GetProperty("commandId").GetString()!;
            commands[id] = commands.GetValueOrDefault(id) + 1;
        }
        return new RunOutcome(alerts, commands);
    }

    /// <summary>
    /// Every difference from <paramref name="expected"/>, one line each (empty when equal).
    /// </summary>
    public List<string> Differences(RunOutcome expected)
    {
        var found = new List<string>();
        foreach (var (id, a) in expected.Alerts)
        {
            if (!Alerts.TryGetValue(id, out var b)) found.Add($"missing alert {id} ({a})");
            else if (a != b)
                found.Add($"alert {id}: expected {a}, got {b}");
        }
        foreach (var (id, b) in Alerts)
            if (!expected.Alerts.ContainsKey(id)) found.Add($"extra alert {id} ({b})");
        foreach (var (id, n) in Commands)
            if (n != 1) found.Add($"command {id} went out {n} times");
        foreach (var id in expected.Commands.Keys.Except(Commands.Keys)) found.Add($"missing command {id}");
        foreach (var id in Commands.Keys.Except(expected.Commands.Keys)) found.Add($"extra command {id}");
        return found;
    }
}

/// <summary>An alert's last revision as published.</summary>
internal sealed record FinalAlert(string Rule, int Revision, int Count, string Severity);
