using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>
/// The Grafana provisioning files (dashboards/provisioning) and what Grafana's provisioning makes of their values:
/// it splits a value on <c>$$</c> (a literal <c>$</c>), expands its own <c>$__env{…}</c>, <c>$__file{…}</c> and
/// <c>$__vault{…}</c>, then Go's <c>os.ExpandEnv</c>, which knows <c>$NAME</c> and <c>${NAME}</c> only: in
/// <c>${NAME:-default}</c> it looks up a variable named <c>NAME:-default</c>, which no environment sets, and the
/// value becomes empty (pkg/services/provisioning/values).
/// </summary>
internal static partial class Provisioning
{
    public static string Dir => Path.Combine(Cli.Root, "dashboards", "provisioning");

    public static List<string> Files() => [.. Directory.GetFiles(Dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    public static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file)) yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    public static YamlMappingNode Load(params string[] relative) => Load(Path.Combine([Dir, .. relative]));

    /// <summary>
    /// Every scalar value Grafana expands, with its path (keys are never expanded). An alert rule's query
    /// model and its annotations are kept as written (so <c>$timeFilter</c> reaches the data source and
    /// <c>{{ $values… }}</c> the template), and are left out.
    /// </summary>
    public static IEnumerable<(string Path, string Value)> ExpandedValues(YamlNode node, string path = "")
    {
        switch (node)
        {
            case YamlScalarNode s:
                if (!KeptAsWritten().IsMatch(path)) yield return (path, s.Value ?? "");
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                    foreach (var v in ExpandedValues(seq.Children[i], $"{path}[{i}]")) yield return v;
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                    foreach (var v in ExpandedValues(value, $"{path}/{((YamlScalarNode)key).Value}")) yield return v;
                break;
        }
    }

    /// <summary>The environment variables a value reads, and the forms in it that Grafana would not expand as meant.</summary>
    public static (List<string> Reads, List<string> Problems) Expansion(string value)
    {
        var (reads, problems) = (new List<string>(), new List<string>());
        foreach (var part in value.Split("$$"))
        {
            for (var i = 0; i < part.Length - 1; i++)
            {
                if (part[i] != '$') continue;
                var rest = part[(i + 1)..];
                if (Expander().Match(rest) is { Success: true } expander)
                {
                    if (expander.Groups[1].Value == "env") reads.Add(expander.Groups[2].Value);
                    i += expander.Length;
                }
                else if (rest[0] == '{')
                {
                    var close = rest.IndexOf('}', StringComparison.Ordinal);
                    var inside = close < 0 ? rest[1..] : rest[1..close];
                    if (close < 0) problems.Add($"'${rest}' has no closing brace");
                    else if (FullName().IsMatch(inside)) reads.Add(inside);
                    else problems.Add($"'${{{inside}}}': Grafana reads it as the variable named '{inside}', which no environment sets, " +
                        "so the value would be empty; it expands $NAME and ${NAME} only (give the default in Grafana's environment)");
                    i += close < 0 ? rest.Length : close + 1;
                }
                else if (Name().Match(rest) is { Success: true } name)
                {
                    reads.Add(name.Value);
                    i += name.Length;
                }
                else if ("*#@!?-0123456789".Contains(rest[0], StringComparison.Ordinal))
                    problems.Add($"'${rest[0]}': Grafana expands it as a shell special variable, to nothing (write $$ for a literal $)");
            }
        }
        return (reads, problems);
    }

    /// <summary>The grafana service of docker-compose.yml.</summary>
    public static YamlMappingNode ComposeGrafana()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Cli.Root, "docker-compose.yml"))) yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"])["grafana"];
    }

    [GeneratedRegex(@"^/groups\[\d+\]/rules\[\d+\]/(data\[\d+\]/model|annotations)(/|\[|$)")]
    private static partial Regex KeptAsWritten();

    [GeneratedRegex(@"^__(env|file|vault)\{([^}]*)\}")]
    private static partial Regex Expander();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex FullName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Name();
}
