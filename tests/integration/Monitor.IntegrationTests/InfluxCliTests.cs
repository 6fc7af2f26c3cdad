using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>--influx</c> as a user gives it (issue 13, item 1: it could not be used at all): the CLI against a real
/// influxd, and the points read back.
/// </summary>
public sealed class InfluxCliTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-influx-cli-");

    private string Url => $"http://127.0.0.1:{influx.Port}";

    [Fact]
    public async Task Replay_with_influx_writes_each_alert_and_the_query_counts_to_influxdb()
    {
        await influx.CreateDatabaseAsync("credit_monitor");
        var alertsFile = Path.Combine(_dir.FullName, "alerts.jsonl");
        var (code, stderr) = await Cli.Run("replay", "--input", Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten", "events.jsonl"),
            "--output", alertsFile, "--influx", Url, "--metrics-run", "cli-replay");
        Assert.True(code == 0, stderr);
        Assert.Contains($"metrics to InfluxDB 1.x at {Url}/ (database credit_monitor)", stderr);

        var alerts = File.ReadAllLines(alertsFile).Select(OutputJson.ParseAlert).ToList();
        var points = InfluxWriteTests.Rows(await influx.QueryAsync("credit_monitor", "SELECT * FROM alert WHERE run = 'cli-replay'"));
        Assert.Equal(alerts.Select(a => a.AlertId).Distinct().Order(StringComparer.Ordinal), points.Select(p => p["alert_id"].GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(alerts.Select(a => a.Rule).Order(StringComparer.Ordinal), points.Select(p => p["rule"].GetString()!).Order(StringComparer.Ordinal));
        // Every credit-report query of the file, counted per minute and branch (28 of its 38 events are queries).
        var queries = InfluxWriteTests.Rows(await influx.QueryAsync("credit_monitor", "SELECT sum(\"count\") AS n FROM \"queries\" WHERE run = 'cli-replay'"));
        Assert.Equal(28, Assert.Single(queries)["n"].GetInt64());
    }

    [Fact]
    public async Task Run_with_influx_writes_its_health_to_influxdb()
    {
        await influx.CreateDatabaseAsync("run_db");
        var port = Ports.Free();
        await using var run = CliProcess.Start("run", "--api", $"127.0.0.1:{port}", "--store", Path.Combine(_dir.FullName, "monitor.db"),
            "--models", Path.Combine(_dir.FullName, "models"), "--influx", Url, "--influx-db", "run_db");
        Assert.NotNull(await run.WaitForLine(l => l.StartsWith("consuming ", StringComparison.Ordinal), TimeSpan.FromSeconds(90)));
        Assert.Contains(run.Stderr, l => l == $"metrics to InfluxDB 1.x at {Url}/ (database run_db)");
        await run.Signal("TERM");
        Assert.Equal(0, await run.WaitForExit(TimeSpan.FromSeconds(60)));

        var writer = InfluxWriteTests.Rows(await influx.QueryAsync("run_db", "SELECT * FROM metrics_writer"));
        Assert.NotEmpty(writer);
        Assert.NotEmpty(InfluxWriteTests.Rows(await influx.QueryAsync("run_db", "SELECT * FROM pipeline")));
    }
}
