using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>How the dashboards are laid out and linked: panels side by side, never on top of one another, and
/// every link to a dashboard that needs a selection (a branch, a user) passes one the clicked row or series has.</summary>
public sealed partial class DashboardLayoutTests
{
    [Fact]
    public void No_two_panels_of_a_dashboard_overlap()
    {
        foreach (var (file, board) in Dashboards.All())
        {
            var panels = board["panels"]!.AsArray().Select(p => (Title: p!["title"]!.GetValue<string>(), Box: Box(p["gridPos"]!))).ToList();
            for (var i = 0; i < panels.Count; i++)
            {
                var a = panels[i].Box;
                Assert.True(a.X >= 0 && a.W > 0 && a.H > 0 && a.X + a.W <= 24, $"{file} '{panels[i].Title}' is not within the 24-column grid: {a}");
                for (var j = i + 1; j < panels.Count; j++)
                {
                    var b = panels[j].Box;
                    var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                    Assert.False(overlap, $"{file}: '{panels[i].Title}' {a} and '{panels[j].Title}' {b} overlap");
                }
            }
        }
    }

    [Fact]
    public void Every_link_to_a_dashboard_passes_each_of_its_variables_from_what_the_panel_shows()
    {
        var boards = Dashboards.All();
        var variables = boards.ToDictionary(b => b.Board["uid"]!.GetValue<string>(),
            b => b.Board["templating"]!["list"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToList());
        var links = 0;
        foreach (var (file, board) in boards)
        {
            var own = variables[board["uid"]!.GetValue<string>()];
            foreach (var panel in board["panels"]!.AsArray())
            {
                var queries = panel!["targets"]!.AsArray().Select(t => t!["query"]!.GetValue<string>()).ToList();
                var columns = queries.SelectMany(q => Dashboards.Selected(q).Concat(Dashboards.GroupedBy(q).Tags)).ToHashSet();
                var labels = queries.SelectMany(q => Dashboards.GroupedBy(q).Tags).ToHashSet();
                // Data links (fieldConfig) may use the clicked row or series; a panel's own header links only the dashboard's variables.
                var dataLinks = (panel["fieldConfig"]?["defaults"]?["links"]?.AsArray() ?? []).Concat(
                    (panel["fieldConfig"]?["overrides"]?.AsArray() ?? []).SelectMany(o => o!["properties"]!.AsArray().Where(p => p!["id"]!.GetValue<string>() == "links").SelectMany(p => p!["value"]!.AsArray())));
                var panelLinks = panel["links"]?.AsArray() ?? [];
                foreach (var (link, data) in dataLinks.Select(l => (l!, true)).Concat(panelLinks.Select(l => (l!, false))))
                {
                    var url = link["url"]!.GetValue<string>();
                    var target = DashboardUrl().Match(url);
                    if (!target.Success) continue;
                    links++;
                    var where = $"{file} '{panel["title"]}' link {url}";
                    Assert.True(variables.TryGetValue(target.Groups[1].Value, out var needed), $"{where}: no shipped dashboard has that uid");
                    var passed = VarParameter().Matches(url).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                    foreach (var name in needed)
                    {
                        Assert.True(passed.TryGetValue(name, out var value) && value.Length > 0, $"{where} passes no {name}: the dashboard opens on whatever {name} was selected last");
                        if (Field().Match(value) is { Success: true } field)
                        {
                            Assert.True(data, $"{where}: a panel link cannot use {value}; a data link (fieldConfig) can");
                            var set = field.Groups[1].Value == "data.fields" ? columns : labels;
                            Assert.True(set.Contains(field.Groups[2].Value), $"{where}: {value} names '{field.Groups[2].Value}', which the panel's query does not return");
                        }
                        else Assert.True(DashboardVariable().Match(value) is { Success: true } v && own.Contains(v.Groups[1].Value), $"{where}: {name}={value} is neither a field of the panel nor a variable of this dashboard");
                    }
                }
            }
        }
        Assert.True(links >= 5, $"only {links} links to dashboards found"); // overview → user, branch; branch → branch, user (2); user → branch
    }

    private static (int X, int Y, int W, int H) Box(JsonNode g) =>
        (g["x"]!.GetValue<int>(), g["y"]!.GetValue<int>(), g["w"]!.GetValue<int>(), g["h"]!.GetValue<int>());

    [GeneratedRegex(@"^/d/([\w-]+)/")]
    private static partial Regex DashboardUrl();

    [GeneratedRegex(@"[?&]var-(\w+)=([^&]*)")]
    private static partial Regex VarParameter();

    [GeneratedRegex(@"^\$\{__(data\.fields|field\.labels)\.(\w+)\}$")]
    private static partial Regex Field();

    [GeneratedRegex(@"^\$\{?(\w+)\}?$")]
    private static partial Regex DashboardVariable();
}
