using System.Net;
using System.Text.Json;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The daily verification sheet as a branch officer gets it (issue 16): a simulated week replayed into a store with
/// <c>./monitor replay --store</c>, then <c>./monitor run</c> over that store and the sheet asked for through the API.
/// Its figures are checked against the events file itself, counted here without the monitor.
/// </summary>
public sealed class DailySheetTests : IDisposable
{
    private const string Officer = "mk_test_officer_daily_sheet";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sheet");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_branch_day_sheet_lists_each_active_user_with_the_days_reads_and_every_finding_as_an_item()
    {
        var (events, alertsFile, store) = await SimulatedStore.ReplayAsync(_dir, days: 7, seed: 5, "off_hours=2,no_authorization=2,volume_spike=1");

        // What the sheet must say, counted from the events: delivered reports per user and local day of one branch.
        var parsed = File.ReadLines(events).Select(l => EventJson.TryParse(System.Text.Encoding.UTF8.GetBytes(l), out var e, out _) ? e! : null).OfType<QueryLogEvent>().ToList();
        string Day(QueryLogEvent e) => e.OccurredAt.ToOffset(China).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var alerts = File.ReadLines(alertsFile).Select(l => JsonSerializer.Deserialize<Alert>(l)!).GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
        // The branch-day with the most findings, among the days that have closed (the week's last day has not).
        var lastDay = parsed.Max(Day);
        var (branch, day) = alerts.Where(a => a.BranchId is not null && a.Day != lastDay && a.EntityType == "user").GroupBy(a => (a.BranchId!, a.Day))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var expectedReads = parsed.Where(e => e.BranchId == branch && Day(e) == day && e.IsSuccessfulQuery)
            .GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Count());
        var expectedActive = parsed.Where(e => e.BranchId == branch && Day(e) == day).Select(e => e.UserId).ToHashSet();
        var expectedFindings = alerts.Where(a => a.BranchId == branch && a.Day == day).Select(a => a.AlertId).Order(StringComparer.Ordinal).ToList();

        var settings = Path.Combine(_dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"api": {"keys": [{"name": "officer-wang", "role": "officer", "sha256": "{{{ApiKeys.Hash(Officer)}}}"}]}}""");
        await using var run = LiveMonitor.Start(null, _dir, "--store", store, "--settings", settings);
        Assert.True(await run.WaitStderrAsync("consuming ", TimeSpan.FromSeconds(60)), run.Transcript);

        var (status, text) = await run.GetAsync($"api/sheets/{branch}/{day}", Officer);
        Assert.True(status == HttpStatusCode.OK, text);
        var sheet = JsonDocument.Parse(text).RootElement;
        var users = sheet.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal(expectedActive.Order(StringComparer.Ordinal), users.Select(u => u.GetProperty("userId").GetString()!));
        foreach (var u in users)
            Assert.Equal(expectedReads.GetValueOrDefault(u.GetProperty("userId").GetString()!), u.GetProperty("readsTotal").GetInt32());
        Assert.Equal(expectedReads.Values.Sum(), sheet.GetProperty("totals").GetProperty("readsTotal").GetInt32());

        // Every finding of the day is an item to give a verdict on, and so is each spot check no finding names.
        var items = sheet.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expectedFindings, items.Where(i => i.GetProperty("kind").GetString() == "finding").Select(i => i.GetProperty("alertId").GetString()!).Order(StringComparer.Ordinal));
        var flagged = alerts.Where(a => a.BranchId == branch && a.Day == day).SelectMany(a => a.Evidence).ToHashSet();
        Assert.All(items.Where(i => i.GetProperty("kind").GetString() == "spot-check"), i => Assert.DoesNotContain(i.GetProperty("eventId").GetString()!, flagged));

        // A day that has not closed yet has no sheet, and says why; a day that is not a date is refused.
        (status, text) = await run.GetAsync($"api/sheets/{branch}/{lastDay}", Officer);
        Assert.True(status == HttpStatusCode.NotFound, text);
        Assert.Contains("allowed lateness", text, StringComparison.Ordinal);
        (status, _) = await run.GetAsync($"api/sheets/{branch}/yesterday", Officer);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
