using System.Text.RegularExpressions;
using Monitor.Detectors.Settings;
using Xunit;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>
/// Rules every dashboard query keeps, read from the shipped JSON: days are the bank's days, the monitor's
/// event-time data is read for the live run only, and an annotation selects the columns it names.
/// DailyPanelDaysTests and DashboardQueryTests run the same queries against a real InfluxDB.
/// </summary>
public sealed partial class DashboardQueryRulesTests
{
    /// <summary>Measurements stamped with event time, written per run (live, or a replay's name).</summary>
    private static readonly string[] EventTime = ["queries", "user_queries", "alert", "command"];

    [Fact]
    public void Every_panel_grouping_by_days_counts_days_in_the_monitors_time_zone()
    {
        // InfluxDB's days run from midnight UTC (08:00 in Shanghai) unless the query names a zone.
        var zone = SettingsLoader.Load(Path.Combine(Cli.Root, "config", "settings.json")).TimeZone;
        Assert.Equal("Asia/Shanghai", zone);
        var daily = Dashboards.All().SelectMany(d => Dashboards.Queries(d.Board).Select(q => (d.File, Q: q)))
            .Where(x => IsDaySized(Dashboards.GroupedBy(x.Q.Text).Interval)).ToList();
        Assert.True(daily.Count >= 5, $"only {daily.Count} daily queries found"); // tuning 1, 4, 6 and user 2 (A, B) when written
        foreach (var (file, q) in daily)
            Assert.True(q.Text.TrimEnd().EndsWith($"tz('{zone}')", StringComparison.Ordinal), $"{file} {q.Where} groups by days without tz('{zone}'):\n  {q.Text}");
    }

    [Fact]
    public void Every_query_over_the_monitors_event_time_data_reads_the_live_run()
    {
        var checkedCommands = 0;
        foreach (var (file, board) in Dashboards.All())
        {
            foreach (var q in Dashboards.Queries(board))
            {
                if (q.Text.StartsWith("SHOW ", StringComparison.Ordinal)) continue; // a variable's choices (the tuning dashboard's $candidate lists the runs)
                if (!Dashboards.Measurements(q.Text).Any(EventTime.Contains)) continue;
                if (Dashboards.Measurements(q.Text).Contains("command")) checkedCommands++;
                Assert.True(q.Text.Contains("\"run\" = 'live'", StringComparison.Ordinal), $"{file} {q.Where} reads every run, a candidate replay's next to the live one:\n  {q.Text}");
                // A query that also admits another run (live against $candidate) keeps the runs apart.
                if (OtherRun().IsMatch(q.Text))
                    Assert.True(Dashboards.GroupedBy(q.Text).Tags.Contains("run"), $"{file} {q.Where} mixes runs without grouping by run:\n  {q.Text}");
            }
        }
        Assert.True(checkedCommands >= 8, $"only {checkedCommands} queries over commands found"); // the suspension and reinstatement annotations, the commands tables, the suspension count
    }

    [Fact]
    public void Every_annotation_selects_the_columns_it_names()
    {
        var annotations = 0;
        foreach (var (file, board) in Dashboards.All())
        {
            foreach (var q in Dashboards.Queries(board).Where(q => q.Where.StartsWith("annotation", StringComparison.Ordinal)))
            {
                annotations++;
                var selected = Dashboards.Selected(q.Text);
                foreach (var key in new[] { "textColumn", "tagsColumn", "titleColumn", "timeEndColumn" })
                    foreach (var column in (q.Node[key]?.GetValue<string>() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        Assert.True(selected.Contains(column), $"{file} {q.Where}: {key} '{column}' is not among the columns the query selects ({string.Join(", ", selected)})");
            }
        }
        Assert.Equal(6, annotations); // suspensions and reinstatements on the overview, branch and user dashboards
    }

    [Theory]
    [InlineData("1d", true)]
    [InlineData("7d", true)]
    [InlineData("1w", true)]
    [InlineData("24h", true)]
    [InlineData("12h", false)]
    [InlineData("$__interval", false)]
    [InlineData(null, false)]
    public void A_day_sized_interval_is_told_from_a_shorter_one(string? interval, bool daySized) => Assert.Equal(daySized, IsDaySized(interval));

    private static bool IsDaySized(string? interval) =>
        interval is not null && Interval().Match(interval) is { Success: true } m
        && (m.Groups[2].Value != "h" || int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) % 24 == 0);

    [GeneratedRegex(@"^(\d+)(w|d|h)$")]
    private static partial Regex Interval();

    [GeneratedRegex(@"""run""\s*(=~|!=|!~|<>)|""run""\s*=\s*'(?!live')")]
    private static partial Regex OtherRun();
}
