using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The README's officer walk-through is run as written: its shell blocks, in order, with curl, against the API
/// over the store the hand-written replay filled. The test then checks that the day's work took effect.
/// </summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task The_readme_officer_walkthrough_runs_with_curl_and_does_what_it_says()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-readme-");
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten");
        var location = Path.Combine(dir.FullName, "monitor.db");
        var (code, stderr) = await Cli.Run("replay", "--input", Path.Combine(fixtures, "events.jsonl"), "--output", Path.Combine(dir.FullName, "alerts.jsonl"),
            "--commands", Path.Combine(dir.FullName, "commands.jsonl"), "--settings", Path.Combine(fixtures, "settings.json"), "--store", location);
        Assert.True(code == 0, stderr);

        var store = await AlertStore.OpenAsync(location, TimeProvider.System);
        const string officer = "mk_readme-officer", auditor = "mk_readme-auditor";
        var settings = new DetectionSettings
        {
            Api = new ApiSettings
            {
                Keys = [new ApiKey { Name = "officer-wang", Role = "officer", Sha256 = ApiKeys.Hash(officer) }, new ApiKey { Name = "auditor-zhao", Role = "auditor", Sha256 = ApiKeys.Hash(auditor) }],
            },
        };
        var sent = new List<PermissionCommand>();
        await using (var api = await OfficerApi.StartAsync(new ApiDependencies(store, () => settings.Api, () => settings, new RecentEvents(),
            c => { sent.Add(c); return store.MarkSentAsync([c.CommandId]); }, _ => { }, new ReadinessState()), "127.0.0.1:0"))
        {
            var script = Walkthrough();
            Assert.Contains("curl", script);
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-euo");
            psi.ArgumentList.Add("pipefail");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.Environment["MONITOR"] = api.Address.ToString().TrimEnd('/');
            psi.Environment["OFFICER"] = officer;
            psi.Environment["AUDITOR"] = auditor;
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"the walk-through failed ({p.ExitCode}): {await errors}\n{await output}");
            Assert.Contains("\"action\":\"confirm\"", await output); // the auditor's read of the log, last in the script
        }

        var admin = Assert.Single(await store.AlertsAsync(new AlertFilter { User = "UA0200", Rule = "ADMIN_QUERY" }));
        Assert.Equal((AlertStates.Confirmed, "officer-wang"), (admin.State, admin.StateBy));
        Assert.Equal(AlertStates.Dismissed, Assert.Single(await store.AlertsAsync(new AlertFilter { Rule = "OFF_HOURS" })).State);
        Assert.Equal([("reinstate", "UA0200")], sent.Select(c => (c.Action, c.UserId)));
        Assert.Equal(["Q0304"], (await store.SuspensionsAsync(active: true)).Select(s => s.UserId));
        Assert.Equal(["suspend", "suspend", "acknowledge", "confirm", "reinstate", "dismiss"], (await store.AuditAsync()).Select(a => a.Action));
        Assert.Equal(["false_positive", "violation"], (await store.LabelsAsync(null)).Select(l => l.Verdict).Order(StringComparer.Ordinal));
        SqliteConnection.ClearAllPools();
    }

    /// <summary>The shell blocks of the README's officer section, in order, without the one that sets the variables.</summary>
    private static string Walkthrough() =>
        string.Join("\n", ReadmeSection.ShellBlocks("## An officer's day with the API").Where(b => !b.Contains("export MONITOR=", StringComparison.Ordinal)));
}
