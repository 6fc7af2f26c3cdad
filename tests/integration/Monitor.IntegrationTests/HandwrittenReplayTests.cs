using System.Diagnostics;
using Monitor.Contracts;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor replay</c>, run as a user runs it, over a file written by hand in the documented contract
/// (fixtures/handwritten): its own ids, UTC and +08:00 offsets, explicit nulls, and a branch override.
/// </summary>
public sealed class HandwrittenReplayTests
{
    [Fact]
    public async Task Replay_cli_finds_each_planted_violation_suspends_the_admin_and_leaves_ordinary_traffic_alone()
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
            ["ADMIN_QUERY UA0200", "NO_AUTHORIZATION Q0203", "OFF_HOURS Q0205", "QUERY_BEFORE_AUTHORIZATION Q0204", "VOLUME_SPIKE Q0906"],
            alerts.Select(a => $"{a.Rule} {a.EntityId}").Order(StringComparer.Ordinal));
        Assert.Equal(["hw-007"], alerts.Single(a => a.Rule == "NO_AUTHORIZATION").Evidence);
        Assert.Equal(["hw-017", "hw-018"], alerts.Single(a => a.Rule == "VOLUME_SPIKE").Evidence); // the 6th and 7th queries
        Assert.Contains("queried 7 credit reports on 2026-04-07; the daily threshold is 5", alerts.Single(a => a.Rule == "VOLUME_SPIKE").Explanation);

        var command = OutputJson.ParseCommand(Assert.Single(File.ReadAllLines(commandsFile)));
        Assert.Equal(("suspend", "UA0200", "BR0200"), (command.Action, command.UserId, command.BranchId));
        Assert.Equal([alerts.Single(a => a.Rule == "ADMIN_QUERY").AlertId], command.AlertIds);
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
    public static async Task<(int Code, string Stderr)> Run(params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Monitor.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var dll = Path.Combine(root, "tools", "Monitor.Cli", "bin", configuration, "net10.0", "Monitor.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stderr);
    }
}
