using System.Text.RegularExpressions;
using Monitor.Contracts;
using Monitor.Metrics.Tests;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>--influx</c> with a 2.x/3.x server as a user gives it (URL, <c>--influx-org</c>, <c>--influx-bucket</c>,
/// the token in INFLUX_TOKEN): the CLI writes through InfluxDB.Client to a scripted InfluxDB 2.x, since no
/// InfluxDB here speaks <c>/api/v2/write</c> (the 1.x path is tested against a real influxd in <see cref="InfluxCliTests"/>).
/// </summary>
public sealed class Influx2CliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-influx2-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Events => Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten", "events.jsonl");

    private static Dictionary<string, string> Token(string token) => new() { ["INFLUX_TOKEN"] = token };

    private static string Url(ScriptedInflux2 influx) => influx.Url.ToString().TrimEnd('/');

    [Fact]
    public async Task Replay_with_a_2x_url_org_bucket_and_token_writes_each_alert_and_the_query_counts_through_the_client()
    {
        using var influx = new ScriptedInflux2();
        var alertsFile = Path.Combine(_dir.FullName, "alerts.jsonl");
        var (code, _, stderr) = await Cli.OutputWith(Token("s3cret"), "replay", "--input", Events, "--output", alertsFile,
            "--influx", Url(influx), "--influx-org", "bank", "--influx-bucket", "credit", "--metrics-run", "cli-replay");
        Assert.True(code == 0, stderr);
        Assert.Contains($"metrics to InfluxDB 2.x at {Url(influx)}/ (org bank, bucket credit)", stderr);
        Assert.DoesNotContain("influxdb 2.x at", stderr); // no failure to report

        Assert.NotEmpty(influx.Writes);
        Assert.All(influx.Writes, w =>
        {
            Assert.Equal("/api/v2/write", w.Path);
            Assert.Equal(("bank", "credit", "ms"), (w.Query["org"], w.Query["bucket"], w.Query["precision"]));
            Assert.Equal("Token s3cret", w.Authorization);
            Assert.Equal("gzip", w.ContentEncoding);
            Assert.StartsWith("influxdb-client-csharp/", w.UserAgent);
        });

        // As InfluxDB keeps them: the last point of each series and time (an alert's revisions, a minute's running count).
        var points = influx.Lines.Select(Line.Parse).GroupBy(p => (p.Series, p.Time)).Select(g => g.Last()).ToList();
        var alerts = File.ReadAllLines(alertsFile).Select(OutputJson.ParseAlert).ToList();
        var alertPoints = points.Where(p => p.Measurement == "alert").ToList();
        Assert.All(alertPoints, p => Assert.Equal("cli-replay", p.Tag("run")));
        Assert.Equal(alerts.Select(a => a.AlertId).Distinct().Order(StringComparer.Ordinal), alertPoints.Select(p => p.Tag("alert_id")!).Order(StringComparer.Ordinal));
        Assert.Equal(alerts.DistinctBy(a => a.AlertId).Select(a => a.Rule).Order(StringComparer.Ordinal), alertPoints.Select(p => p.Tag("rule")!).Order(StringComparer.Ordinal));
        // Every credit-report query of the file, counted per minute and branch (28 of its 38 events are queries).
        Assert.Equal(28, points.Where(p => p.Measurement == "queries" && p.Tag("run") == "cli-replay").Sum(p => p.IntField("count")));
    }

    [Fact]
    public async Task Run_against_a_server_that_refuses_the_token_says_so_in_one_line_however_many_batches_it_refuses()
    {
        using var influx = new ScriptedInflux2(_ => 401);
        var port = Ports.Free();
        await using var run = CliProcess.StartWith(Token("wrong"), "run", "--api", $"127.0.0.1:{port}", "--store", Path.Combine(_dir.FullName, "monitor.db"),
            "--models", Path.Combine(_dir.FullName, "models"), "--influx", Url(influx), "--influx-org", "bank", "--influx-bucket", "credit");
        Assert.NotNull(await run.WaitForLine(l => l.StartsWith("consuming ", StringComparison.Ordinal), TimeSpan.FromSeconds(90)));
        Assert.Contains($"metrics to InfluxDB 2.x at {Url(influx)}/ (org bank, bucket credit)", run.Stderr);
        // The health points go every 10 s: wait for the second refused batch, so the line is seen not to repeat.
        Assert.True(await run.WaitUntil(() => influx.Writes.Count >= 2, TimeSpan.FromSeconds(60)), run.Transcript);
        Assert.True(await run.WaitUntil(() => run.Stderr.Any(l => l.Contains("refused the token", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), run.Transcript);
        Assert.Equal(0, await run.StopAsync());

        Assert.All(influx.Writes.GroupBy(w => w.Body), b => Assert.Single(b)); // refused, not retried
        var said = run.Stderr.Where(l => l.Contains(" refused ", StringComparison.Ordinal)).ToList();
        Assert.True(said.Count == 1, run.Transcript);
        Assert.Equal($"influxdb 2.x at {Url(influx)}/ refused the token (401 unauthorized access): check INFLUX_TOKEN and that it may write to bucket credit of org bank; "
            + "metrics are dropped (and counted) until it is accepted", said[0]);
    }

    [Fact]
    public async Task A_bucket_without_an_org_is_refused_in_one_line()
    {
        using var influx = new ScriptedInflux2();
        CliMistakeTests.AssertOneLine(await Cli.Run("replay", "--input", Events, "--output", Path.Combine(_dir.FullName, "a.jsonl"),
            "--influx", Url(influx), "--influx-bucket", "credit"), "--influx-bucket needs --influx-org");
        Assert.Empty(influx.Writes);
    }

    /// <summary>One line of line protocol, split as InfluxDB reads it (backslash escapes, quoted string fields).</summary>
    private sealed record Line(string Measurement, string Series, string Fields, string Time)
    {
        public static Line Parse(string text)
        {
            var parts = new List<string>();
            var (start, quoted) = (0, false);
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\\') i++;
                else if (text[i] == '"') quoted = !quoted;
                else if (text[i] == ' ' && !quoted)
                {
                    parts.Add(text[start..i]);
                    start = i + 1;
                }
            }
            parts.Add(text[start..]);
            Assert.Equal(3, parts.Count);
            var measurement = Regex.Match(parts[0], @"^(?:\\.|[^,\\])*").Value;
            return new Line(measurement, parts[0], parts[1], parts[2]);
        }

        public string? Tag(string key)
        {
            var m = Regex.Match(Series, $@",{Regex.Escape(key)}=((?:\\.|[^,\\])*)");
            return m.Success ? Regex.Replace(m.Groups[1].Value, @"\\(.)", "$1") : null;
        }

        public long IntField(string key) => long.Parse(Regex.Match(Fields, $@"(?:^|,){Regex.Escape(key)}=(-?\d+)i").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
