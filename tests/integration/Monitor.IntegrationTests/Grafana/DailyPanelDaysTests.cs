using System.Globalization;
using System.Text;
using System.Text.Json;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests.Grafana;

/// <summary>
/// The daily panels' days are the bank's: each panel whose query groups by days runs against a real InfluxDB
/// holding points a minute either side of midnight and of 08:00 in Shanghai (midnight UTC, where InfluxDB's
/// days start unless told a zone). Every day must start at local midnight and count 23:59 with the day
/// before and 00:01, 07:59 and 08:01 with the same day.
/// </summary>
public sealed class DailyPanelDaysTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    private const string Db = "days";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset[] Points =
    [
        new(2026, 3, 1, 23, 59, 0, Shanghai),
        new(2026, 3, 2, 0, 1, 0, Shanghai),
        new(2026, 3, 2, 7, 59, 0, Shanghai),
        new(2026, 3, 2, 8, 1, 0, Shanghai),
    ];

    [Fact]
    public async Task Daily_panels_count_days_from_local_midnight_in_Shanghai()
    {
        await influx.CreateDatabaseAsync(Db);
        await WriteAsync();
        var vars = new Dictionary<string, string> { ["user"] = "QU0101", ["rule"] = "VOLUME_SPIKE", ["candidate"] = "candidate", ["branch"] = "SB0101" };
        var range = (From: new DateTimeOffset(2026, 2, 22, 0, 0, 0, Shanghai), To: new DateTimeOffset(2026, 3, 3, 0, 0, 0, Shanghai));
        var march1 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, Shanghai).ToUnixTimeMilliseconds();
        var march2 = new DateTimeOffset(2026, 3, 2, 0, 0, 0, Shanghai).ToUnixTimeMilliseconds();

        var daily = Dashboards.All()
            .SelectMany(d => Dashboards.Queries(d.Board).Select(q => (d.File, Q: q)))
            .Where(x => Dashboards.GroupedBy(x.Q.Text).Interval == "1d").ToList();
        Assert.True(daily.Count >= 5, $"only {daily.Count} daily queries found");
        var failures = new List<string>();
        foreach (var (file, q) in daily)
        {
            var expanded = DashboardQueryTests.Expand(q.Text, vars, range, "1d");
            var result = (await influx.QueryAsync(Db, expanded))[0];
            var where = $"{file} {q.Where}\n  {expanded}";
            if (result.TryGetProperty("error", out var error) || !result.TryGetProperty("series", out var series))
            {
                failures.Add($"{where}\n  {(error.ValueKind == JsonValueKind.String ? error.GetString() : "no data")}");
                continue;
            }
            foreach (var s in series.EnumerateArray())
            {
                var rows = s.GetProperty("values").EnumerateArray().Select(r => (Time: r[0].GetInt64(), Value: r[1].ValueKind == JsonValueKind.Number ? r[1].GetDouble() : (double?)null)).ToList();
                var notMidnight = rows.Where(r => (r.Time + (long)Shanghai.TotalMilliseconds) % 86_400_000 != 0).ToList();
                if (notMidnight.Count > 0)
                    failures.Add($"{where}\n  days start at {DateTimeOffset.FromUnixTimeMilliseconds(notMidnight[0].Time).ToOffset(Shanghai):yyyy-MM-dd HH:mm zzz}, not at midnight in Shanghai");
                if (q.Text.Contains("moving_average(", StringComparison.Ordinal)) continue; // the days' times are all there is to check: it averages them
                var byDay = rows.ToDictionary(r => r.Time, r => r.Value);
                if (byDay.GetValueOrDefault(march1) != 1 || byDay.GetValueOrDefault(march2) != 3)
                    failures.Add($"{where}\n  1 March counts {byDay.GetValueOrDefault(march1)} and 2 March {byDay.GetValueOrDefault(march2)}, not 1 (23:59) and 3 (00:01, 07:59, 08:01)");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>At each of the four times, for the live run and a candidate replay: a query minute of the user and an alert of the rule.</summary>
    private async Task WriteAsync()
    {
        var lines = new StringBuilder();
        var n = 0;
        foreach (var run in new[] { "live", "candidate" })
        {
            foreach (var at in Points)
            {
                var ms = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                n++;
                lines.Append(CultureInfo.InvariantCulture, $"user_queries,run={run},user=QU0101,purpose=loan_approval,channel=counter,branch=SB0101 count=1i {ms}\n");
                lines.Append(CultureInfo.InvariantCulture, $"alert,run={run},alert_id=a{n},rule=VOLUME_SPIKE,severity=high,entity_type=user,user=QU0101,branch=SB0101 score=70i,findings=1i {ms}\n");
            }
        }
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(influx.Url, $"write?db={Db}&precision=ms"), new StringContent(lines.ToString()));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
