using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Monitor.Api;
using Monitor.Testing;
using Npgsql;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The audit log tampered with as it was in the reproduction: with the database's own tools (sqlite3, psql), a
/// forged row inserted in the name of an officer who does not exist, then the triggers dropped and a row edited.
/// <c>./monitor audit verify</c> (a separate process) exits 1 naming the row, the API's
/// <c>GET /api/audit/verify</c> answers intact=false with it, and <c>run</c> says so at start and on /ready.
/// </summary>
public sealed class AuditTamperTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Auditor = "mk_tamper-auditor";

    [Fact]
    public async Task Tampering_through_sqlite3_is_named_by_audit_verify_and_the_api()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-tamper-").FullName;
        var db = Path.Combine(dir, "monitor.db");
        await ReplayInto(dir, db);
        await TamperAndVerify(db, sql => Tool("sqlite3", db, sql), dropTriggers: "DROP TRIGGER audit_no_update;", overriding: "");
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Tampering_through_psql_is_named_by_audit_verify_and_the_api()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-tamper-pg-").FullName;
        var location = await postgres.NewDatabaseAsync();
        await ReplayInto(dir, location);
        var c = new NpgsqlConnectionStringBuilder(location);
        await TamperAndVerify(location, sql => Tool("psql", "-h", c.Host!, "-p", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", c.Username!, "-d", c.Database!, "-v", "ON_ERROR_STOP=1", "-c", sql),
            dropTriggers: "DROP TRIGGER audit_no_change ON audit;", overriding: "OVERRIDING SYSTEM VALUE");
    }

    [Fact]
    public async Task Run_reports_a_broken_audit_log_at_start_and_on_ready_and_keeps_running()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-tamper-run-").FullName;
        var db = Path.Combine(dir, "monitor.db");
        await ReplayInto(dir, db);
        await Tool("sqlite3", db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 1;");

        await using var run = await StartRun(dir, db);
        var verdict = Assert.Single(run.Stderr, l => l.Contains("audit log", StringComparison.Ordinal));
        Assert.StartsWith("audit log BROKEN at row 2", verdict);
        Assert.Contains("deleted", verdict);
        var ready = await run.ReadyAsync();
        var body = JsonDocument.Parse(ready.Body).RootElement;
        Assert.Equal("broken at row 2", body.GetProperty("audit").GetString());
        Assert.False(run.Exited);
    }

    [Fact]
    public async Task Audit_verify_without_a_store_or_on_a_missing_file_is_a_usage_mistake()
    {
        var (code, stderr) = await Cli.Run("audit", "verify", "--store", "/nonexistent/monitor.db");
        Assert.Equal(2, code);
        Assert.Equal("monitor: --store: no store at /nonexistent/monitor.db", stderr.Trim());
        (code, stderr) = await Cli.Run("audit", "verify");
        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("--store is required", stderr);
    }

    /// <summary>The hand-written replay into the store: the monitor's two suspensions are audit rows 1 and 2.</summary>
    private static async Task ReplayInto(string dir, string store)
    {
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten");
        var (code, stderr) = await Cli.Run("replay", "--input", Path.Combine(fixtures, "events.jsonl"), "--output", Path.Combine(dir, "alerts.jsonl"),
            "--settings", Path.Combine(fixtures, "settings.json"), "--store", store);
        Assert.True(code == 0, stderr);
        var (verified, output) = await RunWithOutput("audit", "verify", "--store", store);
        Assert.True(verified == 0, output);
        Assert.StartsWith("audit log intact: 2 rows, chain head ", output);
    }

    private static async Task TamperAndVerify(string store, Func<string, Task> sql, string dropTriggers, string overriding)
    {
        // The triggers let this through: an officer who does not exist reinstates the admin.
        await sql($"INSERT INTO audit (seq, at, actor, role, action, target, reason) {overriding} VALUES (3, '2026-04-08T12:00:00.0000000Z', 'officer-ghost', 'officer', 'reinstate', 'UA0200', 'verified');");
        var (code, stderr) = await Cli.Run("audit", "verify", "--store", store);
        Assert.Equal(1, code);
        Assert.Equal("monitor: audit log BROKEN at row 3 (3 rows): row 3 has no hash: the monitor did not write it", stderr.Trim());
        Assert.Equal((3, "no hash"), await ApiVerdict(store));

        // Then the history itself: the triggers dropped, the first suspension's reason rewritten.
        await sql($"{dropTriggers} UPDATE audit SET reason = 'requested by the user' WHERE seq = 1;");
        (code, stderr) = await Cli.Run("audit", "verify", "--store", store);
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("monitor: audit log BROKEN at row 1 (3 rows): row 1's columns do not match its hash", stderr.Trim());
        Assert.Equal((1, "do not match its hash"), await ApiVerdict(store));
    }

    /// <summary>
    /// The auditor's <c>GET /api/audit/verify</c> from <c>./monitor run</c> over the store: the first broken row
    /// and a word of its reason; the start-up line said the same.
    /// </summary>
    private static async Task<(long Id, string Reason)> ApiVerdict(string store)
    {
        var dir = Directory.CreateTempSubdirectory("monitor-tamper-api-").FullName;
        await using var run = await StartRun(dir, store);
        var (status, text) = await run.GetAsync("api/audit/verify", Auditor);
        Assert.True(status == System.Net.HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.False(body.GetProperty("intact").GetBoolean());
        Assert.Equal(3, body.GetProperty("rows").GetInt64());
        var broken = body.GetProperty("firstBroken");
        Assert.Contains(run.Stderr, l => l.StartsWith($"audit log BROKEN at row {broken.GetProperty("id").GetInt64()} ", StringComparison.Ordinal));
        var reason = broken.GetProperty("reason").GetString()!;
        return (broken.GetProperty("id").GetInt64(), reason.Contains("no hash", StringComparison.Ordinal) ? "no hash" : reason.Contains("do not match its hash", StringComparison.Ordinal) ? "do not match its hash" : reason);
    }

    /// <summary>
    /// <c>./monitor run</c> as a separate process on its own mock cluster, over a store, with the API on a free port
    /// and an auditor's key in its settings; returned once it consumes, killed when disposed.
    /// </summary>
    private static async Task<LiveMonitor> StartRun(string dir, string store)
    {
        var settings = Path.Combine(dir, "settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"api": {"keys": [{"name": "auditor-zhao", "role": "auditor", "sha256": "{{{ApiKeys.Hash(Auditor)}}}"}]}}""");
        var run = LiveMonitor.Start(null, new DirectoryInfo(dir), "--store", store, "--settings", settings);
        Assert.True(await run.WaitStderrAsync("consuming ", TimeSpan.FromSeconds(60)), run.Transcript);
        return run;
    }

    /// <summary>Runs the CLI as a separate process; its exit code and its standard output and error together.</summary>
    private static async Task<(int Code, string Output)> RunWithOutput(params string[] args)
    {
        var (code, stdout, stderr) = await Cli.Output(args);
        return (code, stdout + stderr);
    }

    private static async Task Tool(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} failed ({p.ExitCode}): {await errors}{await output}");
    }
}
