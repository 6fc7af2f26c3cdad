using System.Net;
using System.Text.Json;
using Monitor.Api;
using Monitor.Contracts;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// One cause, one case (issue 18, part 4) as officers get it: a simulated sub-branch spike replayed into a store, then
/// the officers' API of a running monitor lists it as one case of the branch and its users.
/// </summary>
public sealed class CaseApiTests : IDisposable
{
    private const string Officer = "mk_test_officer_cases";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cases");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_sub_branch_spike_is_one_case_of_the_branch_and_its_users_with_the_highest_severity_and_one_explanation()
    {
        var (_, alertsFile, store) = await SimulatedStore.ReplayAsync(_dir, days: 14, seed: 42, "branch_volume_spike=1,role_conflict=1,off_hours=1");
        var alerts = File.ReadLines(alertsFile).Select(OutputJson.ParseAlert).GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
        Assert.All(alerts, a => Assert.NotNull(a.CaseId));
        var branchAlert = Assert.Single(alerts, a => a.Rule == RuleIds.VolumeSpike && a.EntityType == "branch");
        var caseId = $"branch:{branchAlert.EntityId}:{branchAlert.Day}";
        Assert.Equal(caseId, branchAlert.CaseId);
        var linked = alerts.Where(a => a.CaseId == caseId).ToList();
        Assert.True(linked.Count(a => a.EntityType == "user") >= 3, string.Join("\n", alerts.Select(a => $"{a.Rule} {a.EntityType} {a.EntityId} {a.CaseId}")));
        // A standing role conflict is raised when it first holds and a week later (roleConflict.repeatDays), not every day.
        var conflict = alerts.Where(a => a.Rule == RuleIds.RoleConflict).Select(a => DateOnly.Parse(a.Day, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.InRange(conflict.Count, 1, 2);
        Assert.True(conflict.Count == 1 || conflict[1].DayNumber - conflict[0].DayNumber >= 7, string.Join(", ", conflict));

        var settings = Path.Combine(_dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"api": {"keys": [{"name": "officer-wang", "role": "officer", "sha256": "{{{ApiKeys.Hash(Officer)}}}"}]}}""");
        await using var run = LiveMonitor.Start(null, _dir, "--store", store, "--settings", settings);
        Assert.True(await run.WaitStderrAsync("consuming ", TimeSpan.FromSeconds(60)), run.Transcript);

        var (status, body) = await run.GetAsync("api/cases?pageSize=200", Officer);
        Assert.True(status == HttpStatusCode.OK, body);
        var cases = JsonDocument.Parse(body).RootElement.GetProperty("cases").EnumerateArray().ToList();
        var spike = Assert.Single(cases, c => c.GetProperty("caseId").GetString() == caseId);
        Assert.Equal("branch", spike.GetProperty("kind").GetString());
        Assert.Equal(linked.Count, spike.GetProperty("alerts").GetArrayLength());
        var severities = new[] { "low", "medium", "high", "critical" };
        Assert.Equal(linked.Max(a => Array.IndexOf(severities, a.Severity)), Array.IndexOf(severities, spike.GetProperty("severity").GetString()));
        Assert.Equal(linked.Max(a => a.Score), spike.GetProperty("score").GetInt32());
        Assert.Matches($@"^branch {branchAlert.EntityId} on {branchAlert.Day}: {linked.Count} alerts \(.*VOLUME_SPIKE.*\); most serious: ", spike.GetProperty("explanation").GetString());
        Assert.Contains(cases, c => c.GetProperty("kind").GetString() == "user"); // the off-hours read is its user's own case

        (status, body) = await run.GetAsync($"api/cases/{caseId}", Officer);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(caseId, JsonDocument.Parse(body).RootElement.GetProperty("caseId").GetString());
        (status, _) = await run.GetAsync("api/cases/not-a-case", Officer);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
