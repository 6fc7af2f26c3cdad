using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>
/// Grafana expands <c>$NAME</c> and <c>${NAME}</c> in its provisioning files and nothing else: a shell default
/// (<c>${NAME:-default}</c>) is read as an unset variable and empties the value (a data source without a URL,
/// every panel failing). Every provisioning file may use only the forms Grafana expands, and every variable
/// they read must be given to the grafana service of docker-compose.yml, with its default there.
/// </summary>
public sealed partial class ProvisioningVariableTests
{
    [Theory]
    [InlineData("${MONITOR_INFLUX_URL:-http://influxdb:8086}", false)]
    [InlineData("${MONITOR_INFLUX_URL-http://influxdb:8086}", false)]
    [InlineData("${MONITOR_INFLUX_URL:=http://influxdb:8086}", false)]
    [InlineData("http://localhost:$1", false)]
    [InlineData("${MONITOR_INFLUX_URL}", true)]
    [InlineData("$MONITOR_INFLUX_URL", true)]
    [InlineData("http://$MONITOR_HOST:8086/", true)]
    [InlineData("$__env{MONITOR_INFLUX_URL}", true)]
    [InlineData("Pa$$word", true)]
    [InlineData("no variable at all", true)]
    public void Only_the_variable_forms_Grafana_provisioning_expands_are_accepted(string value, bool expanded)
    {
        var (reads, problems) = Provisioning.Expansion(value);
        Assert.Equal(expanded, problems.Count == 0);
        if (expanded && value.Contains("MONITOR_INFLUX_URL", StringComparison.Ordinal)) Assert.Equal(["MONITOR_INFLUX_URL"], reads);
        if (value == "Pa$$word") Assert.Empty(reads);
    }

    [Fact]
    public void Every_provisioning_file_uses_only_variable_forms_Grafana_expands()
    {
        var files = Provisioning.Files();
        Assert.Contains(files, f => f.EndsWith("datasources/influxdb.yaml", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("/alerting/", StringComparison.Ordinal));
        var problems = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(Provisioning.Dir, file);
            Assert.True(file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal), $"{name}: Grafana provisions YAML files here");
            foreach (var (path, value) in Provisioning.ExpandedValues(Provisioning.Load(file)))
                problems.AddRange(Provisioning.Expansion(value).Problems.Select(p => $"{name} {path}: {p}"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_variable_the_provisioning_files_read_is_given_to_grafana_by_the_compose_file_with_a_default()
    {
        var reads = Provisioning.Files()
            .SelectMany(f => Provisioning.ExpandedValues(Provisioning.Load(f)).SelectMany(v => Provisioning.Expansion(v.Value).Reads.Select(r => (File: Path.GetRelativePath(Provisioning.Dir, f), Name: r))))
            .ToList();
        Assert.Contains(reads, r => r is { File: "datasources/influxdb.yaml", Name: "MONITOR_INFLUX_URL" });

        var grafana = Provisioning.ComposeGrafana();
        var environment = ((YamlMappingNode)grafana["environment"]).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "");
        foreach (var (file, name) in reads)
        {
            Assert.True(environment.TryGetValue(name, out var value), $"{file} reads {name}, which docker-compose.yml does not give to grafana: Grafana would expand it to nothing");
            // Compose (unlike Grafana) knows ${NAME:-default}: the default must not be empty either.
            var given = ComposeDefault().Match(value) is { Success: true } m ? (m.Groups[1].Value == name ? m.Groups[2].Value : "") : value;
            Assert.False(string.IsNullOrWhiteSpace(given) || given.Contains('$', StringComparison.Ordinal), $"grafana's {name} in docker-compose.yml is '{value}': it needs a value or a default");
        }

        // The provisioning folder (data sources, dashboards, alerting) is where Grafana looks for it.
        var volumes = ((YamlSequenceNode)grafana["volumes"]).Select(v => ((YamlScalarNode)v).Value!).ToList();
        Assert.Contains("./dashboards/provisioning:/etc/grafana/provisioning:ro", volumes);
    }

    [GeneratedRegex(@"^\$\{(\w+):-(.*)\}$")]
    private static partial Regex ComposeDefault();
}
