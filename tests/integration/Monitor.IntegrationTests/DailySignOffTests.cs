using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Hosting.Verification;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// A branch's week of daily sheets signed off through the API, level by level (issue 16): the days close in event
/// time (a simulated week replayed into the store by <c>./monitor replay --store</c>); the branch's officer gives a
/// verdict on every item and signs every day but the last; the deadline of the last passes on a fake clock and the
/// escalator sends it to the parent branch's officers, then to head office. A signed sheet refuses changes and
/// takes a correction beside them; a sibling branch's officer sees none of it; the audit log holds every step.
/// </summary>
public sealed class DailySignOffTests : IAsyncLifetime
{
    private const string BranchKey = "mk_branch_officer";
    private const string ParentKey = "mk_parent_officer";
    private const string SiblingKey = "mk_sibling_officer";
    private const string AuditorKey = "mk_auditor";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("signoff");
    private readonly FixedClock _clock = new(Ev.At(2026, 3, 1, 9));
    private string _store = "";

    public async Task InitializeAsync()
    {
        (_, _, _store) = await SimulatedStore.ReplayAsync(_dir, days: 8, seed: 8, "off_hours=2,no_authorization=2");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_week_is_signed_item_by_item_and_the_day_left_unsigned_goes_to_the_parent_then_head_office()
    {
        var store = await AlertStore.OpenAsync(_store, _clock);
        var tree = await store.BranchTreeAsync();
        // A sub-branch with a sibling under the same parent, and the most closed days.
        var sheets = (await store.SheetsAsync(null, "2000-01-01")).GroupBy(s => s.BranchId).ToDictionary(g => g.Key, g => g.Select(s => s.Day).Order(StringComparer.Ordinal).ToList());
        var branch = sheets.Keys.Where(b => tree.GetValueOrDefault(b) is { } p && tree.Count(t => t.Value == p) > 1).OrderByDescending(b => sheets[b].Count).ThenBy(b => b, StringComparer.Ordinal).First();
        var parent = tree[branch]!;
        var sibling = tree.First(t => t.Value == parent && t.Key != branch).Key;
        var days = sheets[branch];
        Assert.True(days.Count >= 5, $"{branch} has {days.Count} closed days");

        var settings = new DetectionSettings
        {
            Api = new ApiSettings
            {
                Keys =
                [
                    new ApiKey { Name = "officer-wang", Role = "officer", Sha256 = ApiKeys.Hash(BranchKey), Branch = branch },
                    new ApiKey { Name = "officer-chen", Role = "officer", Sha256 = ApiKeys.Hash(ParentKey), Branch = parent },
                    new ApiKey { Name = "officer-liu", Role = "officer", Sha256 = ApiKeys.Hash(SiblingKey), Branch = sibling },
                    new ApiKey { Name = "auditor-zhao", Role = "auditor", Sha256 = ApiKeys.Hash(AuditorKey) },
                ],
            },
        };
        var snapshot = DetectorSnapshot.Load(settings);
        await using var api = await OfficerApi.StartAsync(new ApiDependencies(store, () => settings.Api, () => settings, new RecentEvents(), _ => Task.CompletedTask, _ => { }, new ReadinessState()) { Clock = _clock }, "127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = api.Address };
        var escalations = new List<string>();
        var escalator = new SheetEscalator(store, () => snapshot, _clock, escalations.Add);

        // The branch's officer lists its sheets and works each day but the last: a verdict on every item, then the signature.
        var (status, listed) = await Call(http, HttpMethod.Get, "api/sheets?from=2000-01-01&state=unsigned", BranchKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(days, listed.GetProperty("sheets").EnumerateArray().Select(s => s.GetProperty("day").GetString()!).Order(StringComparer.Ordinal));
        var verdicts = 0;
        foreach (var day in days.SkipLast(1))
        {
            var items = (await Call(http, HttpMethod.Get, $"api/sheets/{branch}/{day}", BranchKey)).Body.GetProperty("items").EnumerateArray().ToList();
            foreach (var item in items)
            {
                var verdict = item.GetProperty("kind").GetString() == "finding" ? "violation" : "legitimate";
                (status, var after) = await Call(http, HttpMethod.Post, $"api/sheets/{branch}/{day}/items/{Uri.EscapeDataString(item.GetProperty("itemId").GetString()!)}", BranchKey,
                    $$"""{"verdict": "{{verdict}}", "reason": "checked against the approval register"}""");
                Assert.True(status == HttpStatusCode.OK, after.ToString());
                verdicts++;
            }
            (status, var signed) = await Call(http, HttpMethod.Post, $"api/sheets/{branch}/{day}/sign", BranchKey, """{"reason": "day verified"}""");
            Assert.True(status == HttpStatusCode.OK, signed.ToString());
            Assert.Equal("officer-wang", signed.GetProperty("status").GetProperty("signedBy").GetString());
        }

        Assert.True(verdicts > 0, "the signed days had no item to give a verdict on");

        // Signing settled each finding's alert by its verdict: a violation is a confirmed alert and a label for the analysts.
        var findings = (await store.AlertsAsync(new AlertFilter { Branch = branch, Limit = 1000 })).Where(a => days.SkipLast(1).Contains(a.Alert.Day)).ToList();
        Assert.All(findings, a => Assert.Equal(AlertStates.Confirmed, a.State));
        Assert.Equal(findings.Count, (await store.LabelsAsync(null)).Count(l => findings.Any(f => f.Alert.AlertId == l.AlertId) && l.Verdict == "violation"));

        // The last day: signing without verdicts is refused when it has items; a sibling branch's officer cannot see it.
        var last = days[^1];
        var lastItems = (await Call(http, HttpMethod.Get, $"api/sheets/{branch}/{last}", BranchKey)).Body.GetProperty("items").GetArrayLength();
        if (lastItems > 0) Assert.Equal(HttpStatusCode.Conflict, (await Call(http, HttpMethod.Post, $"api/sheets/{branch}/{last}/sign", BranchKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(http, HttpMethod.Get, $"api/sheets/{branch}/{last}", SiblingKey)).Status);

        // Its deadline is noon of the next working day (a fake clock, not a wait): before it, nothing moves.
        var deadline = SheetDeadlinesOf(snapshot).Due(DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture), 1);
        async Task<string> EscalatedTo() => (await Call(http, HttpMethod.Get, $"api/sheets/{branch}/{last}", ParentKey)).Body.GetProperty("status").GetProperty("escalatedTo").GetString()!;
        _clock.Now = deadline.AddMinutes(-1);
        await escalator.TickAsync(); // the other branches' unsigned sheets are older: they go up meanwhile
        Assert.Equal("none", await EscalatedTo());
        _clock.Now = deadline.AddMinutes(1);
        await escalator.TickAsync();
        Assert.Equal("parent", await EscalatedTo());
        (status, listed) = await Call(http, HttpMethod.Get, "api/sheets?from=2000-01-01&state=escalated", ParentKey);
        Assert.Equal(HttpStatusCode.OK, status);
        // The parent's officers find it among the late sheets of the branches below them; the sibling's officer does not.
        var escalated = Assert.Single(listed.GetProperty("sheets").EnumerateArray(), s => s.GetProperty("branchId").GetString() == branch);
        Assert.Equal((last, "parent"), (escalated.GetProperty("day").GetString(), escalated.GetProperty("escalatedTo").GetString()));
        Assert.All(listed.GetProperty("sheets").EnumerateArray(), s => Assert.True(BranchScope.Below(parent, tree).Contains(s.GetProperty("branchId").GetString()!)));
        Assert.DoesNotContain((await Call(http, HttpMethod.Get, "api/sheets?from=2000-01-01&state=escalated", SiblingKey)).Body.GetProperty("sheets").EnumerateArray(),
            s => s.GetProperty("branchId").GetString() == branch);
        _clock.Now = SheetDeadlinesOf(snapshot).Due(DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture), 2).AddMinutes(1);
        Assert.True(await escalator.TickAsync() > 0);
        Assert.Equal(0, await escalator.TickAsync()); // once per level
        Assert.Equal("head-office", await EscalatedTo());

        // A signed sheet refuses a changed verdict and takes a correction, which stands beside the signed verdict.
        var first = days[0];
        var firstItem = (await Call(http, HttpMethod.Get, $"api/sheets/{branch}/{first}", BranchKey)).Body.GetProperty("items").EnumerateArray().FirstOrDefault();
        var corrections = 0;
        if (firstItem.ValueKind == JsonValueKind.Object)
        {
            var path = $"api/sheets/{branch}/{first}/items/{Uri.EscapeDataString(firstItem.GetProperty("itemId").GetString()!)}";
            Assert.Equal(HttpStatusCode.Conflict, (await Call(http, HttpMethod.Post, path, BranchKey, """{"verdict": "legitimate", "reason": "second thoughts"}""")).Status);
            (status, var corrected) = await Call(http, HttpMethod.Post, path + "/correction", BranchKey, """{"verdict": "legitimate", "reason": "the register had the authorization after all"}""");
            Assert.True(status == HttpStatusCode.OK, corrected.ToString());
            var item = corrected.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("itemId").GetString() == firstItem.GetProperty("itemId").GetString());
            Assert.Equal(firstItem.GetProperty("kind").GetString() == "finding" ? "violation" : "legitimate", item.GetProperty("verdict").GetProperty("verdict").GetString());
            Assert.Equal("legitimate", Assert.Single(item.GetProperty("corrections").EnumerateArray()).GetProperty("verdict").GetString());
            corrections = 1;
            // The correction is what stands in the reports: a violation corrected to legitimate is no longer counted.
            var standing = (await store.SheetAsync(branch, first))!;
            Assert.Equal(standing.Items.Count(i => i.Kind == "finding" && i.ItemId != firstItem.GetProperty("itemId").GetString()), standing.Violations);
        }
        Assert.Equal(HttpStatusCode.Conflict, (await Call(http, HttpMethod.Post, $"api/sheets/{branch}/{first}/sign", BranchKey)).Status);

        // The reports through the API, within the key's scope: the day's workbook and the month's printable page.
        using (var daily = await Send(http, HttpMethod.Get, $"api/reports/daily/{branch}/{first}", BranchKey))
        {
            Assert.Equal(HttpStatusCode.OK, daily.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", daily.Content.Headers.ContentType?.MediaType);
            var workbook = Path.Combine(_dir.FullName, "api-daily.xlsx");
            await File.WriteAllBytesAsync(workbook, await daily.Content.ReadAsByteArrayAsync());
            Assert.Equal("用户查询", MiniExcelLibs.MiniExcel.GetSheetNames(workbook)[0]);
        }
        using (var monthly = await Send(http, HttpMethod.Get, $"api/reports/monthly/{first[..7]}?format=html&lang=en", ParentKey))
        {
            Assert.Equal(HttpStatusCode.OK, monthly.StatusCode);
            Assert.Contains($"Monthly credit compliance summary, {first[..7]}", await monthly.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(http, HttpMethod.Get, $"api/reports/daily/{branch}/{first}", SiblingKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(http, HttpMethod.Get, $"api/reports/monthly/{first[..7]}?branch={branch}", SiblingKey)).Status);

        // Every step is in the audit log.
        var audit = (await Call(http, HttpMethod.Get, "api/audit?limit=10000", AuditorKey)).Body.EnumerateArray()
            .Select(a => (Action: a.GetProperty("action").GetString(), Target: a.GetProperty("target").GetString()!)).Where(a => a.Target.StartsWith(branch + "/", StringComparison.Ordinal)).ToList();
        Assert.Equal(verdicts, audit.Count(a => a.Action == "sheet-verdict"));
        Assert.Equal(days.Count - 1, audit.Count(a => a.Action == "sheet-signed"));
        Assert.Equal([$"{branch}/{last}", $"{branch}/{last}"], audit.Where(a => a.Action == "sheet-escalated").Select(a => a.Target));
        Assert.Equal(corrections, audit.Count(a => a.Action == "sheet-correction"));
        Assert.Contains(escalations, l => l.StartsWith("daily sheets not signed in time: ", StringComparison.Ordinal));
    }

    private static Monitor.Detectors.Verification.SheetDeadlines SheetDeadlinesOf(DetectorSnapshot s) => Monitor.Detectors.Verification.SheetDeadlines.Of(s);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Call(HttpClient http, HttpMethod method, string path, string key, string? body = null)
    {
        using var response = await Send(http, method, path, key, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string key, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await http.SendAsync(request);
    }
}
