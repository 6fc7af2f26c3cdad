using System.Diagnostics;
using Monitor.Contracts;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor replay</c>, run as a user runs it, over a file written by hand in the documented contract
/// (fixtures/handwritten): its own ids, UTC and +08:00 offsets, explicit nulls, and a branch override. Day one
/// (2026-04-07) plants the first five rules; day two (2026-04-08) one incident each of SHARED_ACCOUNT,
/// LOGIN_FAILURES, a disabled account querying, REPEATED_SUBJECT, ROLE_CONFLICT and KIOSK_OFF_HOURS, written
/// from docs/indicators.md alone.
/// </summary>
public sealed class HandwrittenReplayTests
{
    [Fact]
    public async Task Replay_cli_finds_each_planted_violation_suspends_the_admin_and_the_disabled_account_and_leaves_ordinary_traffic_alone()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-replay-");
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten");
        var alertsFile = Path.Combine(dir.FullName, "alerts.jsonl");
        var commandsFile = Path.Combine(dir.FullName, "commands.jsonl");
        var (code, stderr) = await Cli.Run("replay", "--input", Path.Combine(fixtures, "events.jsonl"), "--output", alertsFile,
            "--commands", commandsFile, "--settings", Path.Combine(fixtures, "settings.json"));
        Assert.True(code == 0, stderr);

        var alerts = File.ReadAllLines(alertsFile).Select(OutputJson.ParseAlert).GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
        Assert.Equal(
            ["ADMIN_QUERY UA0200", "DORMANT_ACCOUNT Q0304", "KIOSK_OFF_HOURS KS0301", "LOGIN_FAILURES Q0303", "NO_AUTHORIZATION Q0203", "OFF_HOURS Q0205",
             "QUERY_BEFORE_AUTHORIZATION Q0204", "REPEATED_SUBJECT Q0305", "ROLE_CONFLICT H7310", "SHARED_ACCOUNT Q0302", "VOLUME_SPIKE Q0906"],
            alerts.Select(a => $"{a.Rule} {a.EntityId}").Order(StringComparer.Ordinal));
        Assert.Equal(["hw-007"], alerts.Single(a => a.Rule == "NO_AUTHORIZATION").Evidence);
        Assert.Equal(["hw-017", "hw-018"], alerts.Single(a => a.Rule == "VOLUME_SPIKE").Evidence); // the 6th and 7th queries
        Assert.Contains("queried 7 credit reports on 2026-04-07; the daily threshold is 5", alerts.Single(a => a.Rule == "VOLUME_SPIKE").Explanation);

        Assert.Equal("critical", alerts.Single(a => a.Rule == "DORMANT_ACCOUNT").Severity);
        Assert.Equal(["hw-115"], alerts.Single(a => a.Rule == "REPEATED_SUBJECT").Evidence); // the fourth read of d00d01
        Assert.Equal(["hw-105"], alerts.Single(a => a.Rule == "SHARED_ACCOUNT").Evidence); // PC-377, 4.5 min after PC-302

        var commands = File.ReadAllLines(commandsFile).Select(OutputJson.ParseCommand).OrderBy(c => c.UserId, StringComparer.Ordinal).ToList();
        Assert.Equal([("suspend", "Q0304", "SB0301"), ("suspend", "UA0200", "BR0200")], commands.Select(c => (c.Action, c.UserId, c.BranchId)));
        Assert.Equal([alerts.Single(a => a.Rule == "ADMIN_QUERY").AlertId], commands[1].AlertIds);
        Assert.Equal([alerts.Single(a => a.Rule == "DORMANT_ACCOUNT").AlertId], commands[0].AlertIds);
    }

    [Fact]
    public async Task Invalid_settings_file_is_refused_with_the_key_named()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"volume":{"userDaily":0}}""");
        var (code, stderr) = await Cli.Run("replay", "--input", file, "--output", file + ".out", "--settings", file);
        Assert.Equal(2, code);
        Assert.Contains("volume.userDaily", stderr);
    }
}

/// <summary>Runs the built CLI as a separate process, as <c>./monitor</c> does.</summary>
internal static class Cli
{
    /// <summary>The repository's root (where Monitor.sln is): the README, the docs, the compose file, the CLI's build.</summary>
    public static string Root
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Monitor.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
            return root;
        }
    }

    /// <summary>The CLI's dll, built in the configuration the tests were built in.</summary>
    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(Root, "tools", "Monitor.Cli", "bin", configuration, "net10.0", "Monitor.Cli.dll");
        }
    }

    public static async Task<(int Code, string Stderr)> Run(params string[] args)
    {
        var (code, _, stderr) = await Output(args);
        return (code, stderr);
    }

    public static Task<(int Code, string Stdout, string Stderr)> Output(params string[] args) => OutputWith(new Dictionary<string, string>(), args);

    /// <summary>Runs the CLI with <paramref name="environment"/> added to this process's, as a user sets INFLUX_TOKEN.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> OutputWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, stdout, await stderr);
    }
}
