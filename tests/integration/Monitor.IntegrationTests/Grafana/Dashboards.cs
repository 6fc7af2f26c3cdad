using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>The shipped dashboards (dashboards/json), their queries, and what an InfluxQL query selects and groups by.</summary>
internal static partial class Dashboards
{
    public static string Dir => Path.Combine(Cli.Root, "dashboards", "json");

    /// <summary>Every dashboard by file name.</summary>
    public static List<(string File, JsonNode Board)> All() =>
        [.. Directory.GetFiles(Dir, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), JsonNode.Parse(File.ReadAllText(f))!))];

    /// <summary>A query a dashboard runs: <c>Node</c> is the variable, annotation or panel target; <c>Panel</c> the panel of a target.</summary>
    public sealed record Query(string Where, string Text, JsonNode Node, JsonNode? Panel);

    /// <summary>Every query a dashboard runs: template variables, annotations, panel targets.</summary>
    public static IEnumerable<Query> Queries(JsonNode board)
    {
        foreach (var v in board["templating"]!["list"]!.AsArray())
            if (v!["type"]!.GetValue<string>() == "query") yield return new($"variable {v["name"]}", v["query"]!.GetValue<string>(), v, null);
        foreach (var a in board["annotations"]!["list"]!.AsArray())
            if (a!["query"] is { } q) yield return new($"annotation {a["name"]}", q.GetValue<string>(), a, null);
        foreach (var p in board["panels"]!.AsArray())
            foreach (var t in p!["targets"]!.AsArray())
                yield return new($"panel '{p["title"]}' {t!["refId"]}", t["query"]!.GetValue<string>(), t, p);
    }

    /// <summary>The columns the outer SELECT returns, named as InfluxDB names them: an alias, a field or tag, a function's name, and the tags top()/bottom() carry along.</summary>
    public static List<string> Selected(string query)
    {
        var flat = Flat(query);
        var start = flat.IndexOf("SELECT ", StringComparison.Ordinal) + "SELECT ".Length;
        var end = flat.IndexOf(" FROM ", start, StringComparison.Ordinal);
        var columns = new List<string>();
        var at = start;
        foreach (var piece in flat[start..end].Split(','))
        {
            var item = query.Substring(at, piece.Length).Trim();
            at += piece.Length + 1;
            if (Alias().Match(item) is { Success: true } alias) columns.Add(alias.Groups[1].Value);
            else if (Quoted().Match(item) is { Success: true } bare) columns.Add(bare.Groups[1].Value);
            else if (Function().Match(item) is { Success: true } function) columns.Add(function.Groups[1].Value);
            if (item.StartsWith("top(", StringComparison.Ordinal) || item.StartsWith("bottom(", StringComparison.Ordinal))
                columns.AddRange(QuotedArg().Matches(item.Split(" AS ")[0]).Skip(1).Select(m => m.Groups[1].Value));
        }
        return columns;
    }

    /// <summary>The outer query's GROUP BY: the tags, and the time interval (null without one).</summary>
    public static (List<string> Tags, string? Interval) GroupedBy(string query)
    {
        var flat = Flat(query);
        var start = flat.IndexOf(" GROUP BY ", StringComparison.Ordinal);
        if (start < 0) return ([], null);
        start += " GROUP BY ".Length;
        var end = GroupByEnd().Match(flat, start) is { Success: true } e ? e.Index : flat.Length;
        var clause = query[start..end];
        var interval = TimeInterval().Match(clause) is { Success: true } t ? t.Groups[1].Value : null;
        return ([.. QuotedArg().Matches(TimeInterval().Replace(clause, "")).Select(m => m.Groups[1].Value)], interval);
    }

    /// <summary>The measurements a query reads, its subqueries' included.</summary>
    public static List<string> Measurements(string query) => [.. From().Matches(query).Select(m => m.Groups[1].Value)];

    /// <summary>The query with everything inside parentheses blanked, so that clauses of subqueries and function arguments are not taken for the outer query's.</summary>
    private static string Flat(string query)
    {
        var chars = query.ToCharArray();
        var depth = 0;
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == ')') depth--;
            if (depth > 0) chars[i] = ' ';
            if (chars[i] == '(') depth++;
        }
        return new string(chars);
    }

    [GeneratedRegex(@"\sAS\s+""(\w+)""$")]
    private static partial Regex Alias();

    [GeneratedRegex(@"^""(\w+)""$")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(\w+)\(")]
    private static partial Regex Function();

    [GeneratedRegex(@"""(\w+)""")]
    private static partial Regex QuotedArg();

    [GeneratedRegex(@" fill\(| tz\(| ORDER BY | LIMIT | SLIMIT ")]
    private static partial Regex GroupByEnd();

    [GeneratedRegex(@"time\(([^)]*)\)")]
    private static partial Regex TimeInterval();

    [GeneratedRegex(@"FROM\s+""(\w+)""")]
    private static partial Regex From();
}
