using System.Text.Json;
using Xunit;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>
/// The tuning dashboard's comparison panels against a real flight (<see cref="FlownBank"/>: <c>monitor run --candidate</c>
/// writing to a real InfluxDB): with the flight chosen as <c>$candidate</c>, each panel's counts per run (and per rule)
/// are the distinct alerts live and the flight published on their topics, and the candidate list offers the flight, not live.
/// </summary>
[Collection(FlownBank.Name)]
public sealed class TuningFlightPanelsTests(FlownBank bank)
{
    [Fact]
    public async Task The_tuning_panels_set_the_flights_alerts_against_lives_as_both_published_them()
    {
        var live = FlownBank.Final(bank.Live).Values.ToList();
        var flown = FlownBank.Final(bank.Flown).Values.ToList();
        var all = live.Concat(flown).ToList();
        var range = (From: all.Min(a => a.EventTime).AddDays(-1), To: all.Max(a => a.EventTime).AddDays(1));
        var board = Dashboards.All().Single(d => d.File == "tuning.json").Board;
        var queries = Dashboards.Queries(board).Where(q => q.Text.Contains("$candidate", StringComparison.Ordinal)).ToList();

        var offered = await bank.Influx.QueryAsync(FlownBank.Db, Dashboards.Queries(board).Single(q => q.Where == "variable candidate").Text);
        var runs = offered[0].GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v[1].GetString()).ToList();
        Assert.Contains(FlownBank.Flight, runs);
        Assert.DoesNotContain("live", runs);

        var panels = queries.Where(q => q.Panel is not null).ToList();
        Assert.True(panels.Count >= 3, $"only {panels.Count} comparison panels"); // per day, per day for $rule, per rule
        var failures = new List<string>();
        foreach (var q in panels)
        {
            var byRule = q.Text.Contains("$rule", StringComparison.Ordinal);
            foreach (var rule in byRule ? all.Select(a => (string?)a.Rule).Distinct().ToList() : [null])
            {
                var vars = new Dictionary<string, string> { ["candidate"] = FlownBank.Flight, ["rule"] = rule ?? "" };
                var expanded = DashboardQueryTests.Expand(q.Text, vars, range, "1d");
                var counted = Counts(await bank.Influx.QueryAsync(FlownBank.Db, expanded), Dashboards.GroupedBy(q.Text).Tags.Contains("rule"));
                var expected = new Dictionary<string, long>();
                foreach (var (run, alerts) in new[] { ("live", live), (FlownBank.Flight, flown) })
                    foreach (var a in alerts.Where(a => rule is null || a.Rule == rule))
                    {
                        var key = Dashboards.GroupedBy(q.Text).Tags.Contains("rule") ? $"{run} {a.Rule}" : run;
                        expected[key] = expected.GetValueOrDefault(key) + 1;
                    }
                var want = string.Join(", ", expected.Where(e => e.Value > 0).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
                var got = string.Join(", ", counted.Where(e => e.Value > 0).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
                if (want != got) failures.Add($"{q.Where}{(rule is null ? "" : $" ($rule = {rule})")}: published {want}; the panel shows {got}\n  {expanded}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The panel's values summed per series, by run (and rule): a daily panel's days add up to the period's alerts.</summary>
    private static Dictionary<string, long> Counts(JsonElement results, bool byRule)
    {
        var counts = new Dictionary<string, long>();
        Assert.False(results[0].TryGetProperty("error", out var error), error.ToString());
        if (!results[0].TryGetProperty("series", out var series)) return counts;
        foreach (var s in series.EnumerateArray())
        {
            var tags = s.GetProperty("tags");
            var key = byRule ? $"{tags.GetProperty("run").GetString()} {tags.GetProperty("rule").GetString()}" : tags.GetProperty("run").GetString()!;
            counts[key] = counts.GetValueOrDefault(key) + s.GetProperty("values").EnumerateArray().Sum(v => v[1].ValueKind == JsonValueKind.Number ? v[1].GetInt64() : 0);
        }
        return counts;
    }
}
