using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The README's "A branch's day" section, run as written (bash and curl) against the API over a simulated week
/// replayed into a store: the branch officer's key is scoped to the branch, the commands list, read, decide every
/// item and sign, and the store then holds the signed sheet.
/// </summary>
public sealed class ReadmeVerificationTests : IDisposable
{
    private const string Officer = "mk_readme_branch_officer";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("readme-verification");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task The_readme_daily_verification_runs_with_curl_and_signs_the_branch_day()
    {
        var (_, _, location) = await SimulatedStore.ReplayAsync(_dir, days: 8, seed: 21, "off_hours=2,no_authorization=1,register_mismatch=1", feeds: true);

        var store = await AlertStore.OpenAsync(location, TimeProvider.System);
        // The branch-day with the most items: the walk-through then decides findings and spot checks alike.
        var sheets = await store.SheetsAsync(null, "2000-01-01");
        var (branch, day, items) = (await Task.WhenAll(sheets.Select(async s => (s.BranchId, s.Day, (await store.SheetAsync(s.BranchId, s.Day))!.Items.Count))))
            .OrderByDescending(s => s.Item3).ThenBy(s => s.BranchId, StringComparer.Ordinal).First();
        Assert.True(items > 0);
        var settings = new DetectionSettings { Api = new ApiSettings { Keys = [new ApiKey { Name = "officer-wang", Role = "officer", Sha256 = ApiKeys.Hash(Officer), Branch = branch }] } };
        await using (var api = await OfficerApi.StartAsync(new ApiDependencies(store, () => settings.Api, () => settings, new RecentEvents(), _ => Task.CompletedTask, _ => { }, new ReadinessState()), "127.0.0.1:0"))
        {
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-euo", "pipefail", "-c", Walkthrough() }) psi.ArgumentList.Add(a);
            psi.Environment["MONITOR"] = api.Address.ToString().TrimEnd('/');
            psi.Environment["OFFICER"] = Officer;
            psi.Environment["BRANCH"] = branch;
            psi.Environment["DAY"] = day;
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"the walk-through failed ({p.ExitCode}): {await errors}\n{await output}");
        }

        var signed = (await store.SheetAsync(branch, day))!;
        Assert.Equal(("officer-wang", "day verified"), (signed.Status.SignedBy, signed.Status.Note));
        Assert.All(signed.Items, i => Assert.Equal(i.Kind == SheetItem.Finding ? ItemVerdict.Violation : ItemVerdict.Legitimate, i.Verdict?.Verdict));
        Assert.Equal(items, (await store.AuditAsync()).Count(a => a.Action == "sheet-verdict"));
        foreach (var finding in signed.Items.Where(i => i.Kind == SheetItem.Finding))
            Assert.Equal(AlertStates.Confirmed, (await store.AlertAsync(finding.AlertId!))!.State);
    }

    /// <summary>The shell blocks of the README's daily verification section, in order.</summary>
    private static string Walkthrough()
    {
        var blocks = ReadmeSection.ShellBlocks("## A branch's day: the daily verification");
        Assert.Equal(2, blocks.Count);
        return string.Join("\n", blocks);
    }
}
