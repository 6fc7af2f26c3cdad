using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// What the answers look like to someone reading them (issue 17): every time in the bank's zone, the timeline's events
/// in the contract's shape, long lists paged with their totals, and alerts on employees, terminals and subjects found
/// by their entity.
/// </summary>
public sealed partial class AnswerShapeTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<(HttpResponseMessage Response, JsonElement Body)> Get(string path, string key = ApiHost.OfficerKey)
    {
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, path, key));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task Post(string path, string body, string key = ApiHost.OfficerKey) =>
        Assert.True((await _host.Http.SendAsync(_host.Request(HttpMethod.Post, path, key, body))).IsSuccessStatusCode, path);

    [Fact]
    public async Task Every_time_in_every_answer_is_written_in_the_banks_zone_with_its_offset()
    {
        var (admin, _, _) = await _host.SeedAsync();
        // An event whose source wrote UTC, and officers' work the store records in UTC.
        _host.Events.Add([Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: new DateTimeOffset(2026, 3, 2, 2, 30, 0, TimeSpan.Zero), id: "ev-utc")]);
        await Post($"/api/alerts/{admin.AlertId}/confirm", """{"reason":"the branch confirmed it"}""");
        await Post("/api/users/UA0101/reinstate", """{"reason":"reading moved to a query account"}""");
        var until = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(10).Date, TimeSpan.Zero); // the API judges "until" by the real clock
        await Post("/api/suppressions", $$"""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q440100","reason":"night project","until":"{{until:yyyy-MM-dd}}T00:00:00Z"}""", ApiHost.AnalystKey);

        var answers = new List<JsonElement>();
        foreach (var (path, key) in new[]
        {
            ("/api/alerts", ApiHost.OfficerKey), ($"/api/alerts/{admin.AlertId}", ApiHost.OfficerKey), ("/api/suspensions?state=all", ApiHost.OfficerKey),
            ("/api/users/UA0101/timeline", ApiHost.OfficerKey), ("/api/labels", ApiHost.AnalystKey), ("/api/audit", ApiHost.AuditorKey),
            ("/api/suppressions?all=true", ApiHost.AnalystKey), ("/ready", ApiHost.OfficerKey),
        })
        {
            var (response, body) = await Get(path, key);
            Assert.True(response.IsSuccessStatusCode || path == "/ready", $"{path}: {response.StatusCode}");
            answers.Add(body);
        }
        var times = answers.SelectMany(Strings).Where(s => IsoTime().IsMatch(s)).ToList();
        Assert.True(times.Count >= 20, $"only {times.Count} times found");
        Assert.All(times, t => Assert.EndsWith("+08:00", t));

        var timeline = answers[3];
        Assert.Contains("2026-03-02T10:30:00.000+08:00", timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("occurredAt").GetString()));
        Assert.Equal($"{until:yyyy-MM-dd}T08:00:00+08:00", answers[6].GetProperty("suppressions")[0].GetProperty("until").GetString());
    }

    [Fact]
    public async Task The_timeline_shows_events_as_the_contract_names_them_without_internal_fields()
    {
        await _host.SeedAsync();
        var (_, body) = await Get("/api/users/UA0101/timeline");
        var e = Assert.Single(body.GetProperty("events").EnumerateArray());
        Assert.Equal("query", e.GetProperty("type").GetString());
        Assert.Equal("user_admin", e.GetProperty("userRole").GetString());
        Assert.Equal("counter", e.GetProperty("channel").GetString());
        Assert.Equal("loan_approval", e.GetProperty("purpose").GetString());
        Assert.Equal("success", e.GetProperty("outcome").GetString());
        var fields = e.EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("subjectKey", fields);
        Assert.DoesNotContain("subjectFirstSeenElsewhere", fields);
        Assert.DoesNotContain("isQuery", fields);
        Assert.All(fields, f => Assert.True(char.IsLower(f[0]), f));
    }

    [Fact]
    public async Task A_long_queue_is_read_page_by_page_with_its_total_and_nothing_twice()
    {
        var alerts = Enumerable.Range(0, 7).Select(i => Alert($"al-{i}", "user", $"Q{i}", Ev.Monday10.AddMinutes(i % 3))).ToList(); // ties on time
        await _host.Store.RecordAsync(alerts, [], []);
        var seen = new List<string>();
        var path = "/api/alerts?state=open&limit=3";
        var pages = 0;
        while (true)
        {
            var (response, body) = await Get(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("7", response.Headers.GetValues("X-Total-Count").Single());
            seen.AddRange(body.EnumerateArray().Select(a => a.GetProperty("alert").GetProperty("alertId").GetString()!));
            pages++;
            if (!response.Headers.TryGetValues("Link", out var link)) break;
            Assert.Equal(response.Headers.GetValues("X-Next-Cursor").Single(), LinkCursor().Match(link.Single()).Groups[1].Value);
            path = NextPath().Match(link.Single()).Groups[1].Value;
            Assert.Contains("state=open", path);
        }
        Assert.Equal(3, pages);
        Assert.Equal(alerts.Select(a => a.AlertId).Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var (bad, error) = await Get("/api/alerts?cursor=bm90LWEtY3Vyc29y");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("cursor", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Suspensions_audit_and_labels_say_how_many_there_are()
    {
        await _host.SeedAsync();
        var (suspensions, _) = await Get("/api/suspensions");
        Assert.Equal("1", suspensions.Headers.GetValues("X-Total-Count").Single());
        var (audit, rows) = await Get("/api/audit?limit=1", ApiHost.AuditorKey);
        var total = int.Parse(audit.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 2, $"{total} audit rows");
        var next = audit.Headers.GetValues("X-Next-Cursor").Single();
        var (_, second) = await Get($"/api/audit?limit=1&cursor={next}", ApiHost.AuditorKey);
        Assert.Equal(rows[0].GetProperty("seq").GetInt64() + 1, second[0].GetProperty("seq").GetInt64());
        var (labels, _) = await Get("/api/labels", ApiHost.AnalystKey);
        Assert.Equal("0", labels.Headers.GetValues("X-Total-Count").Single());
    }

    [Fact]
    public async Task Alerts_on_an_employee_a_terminal_or_a_subject_are_found_by_their_entity()
    {
        await _host.Store.RecordAsync(
        [
            Alert("al-emp", "employee", "E0042", Ev.Monday10, rule: RuleIds.RoleConflict),
            Alert("al-term", "terminal", "T-9", Ev.Monday10, rule: RuleIds.LoginFailures),
            Alert("al-subj", "subject", "s-7f3a9c", Ev.Monday10, rule: RuleIds.RepeatedSubject),
            Alert("al-user", "user", "Q1", Ev.Monday10),
        ], [], []);
        async Task<string[]> Ids(string query) =>
            [.. (await Get("/api/alerts?" + query)).Body.EnumerateArray().Select(a => a.GetProperty("alert").GetProperty("alertId").GetString()!)];

        Assert.Equal(["al-emp"], await Ids("entityType=employee&entityId=E0042"));
        Assert.Equal(["al-term"], await Ids("entityType=terminal"));
        Assert.Equal(["al-subj"], await Ids("entityId=s-7f3a9c"));
        Assert.Empty(await Ids("entityType=user&entityId=E0042"));
        var (bad, error) = await Get("/api/alerts?entityType=person");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("entityType", error.GetProperty("field").GetString());
    }

    private static Alert Alert(string id, string entityType, string entityId, DateTimeOffset at, string rule = RuleIds.OffHours) => new()
    {
        AlertId = id, Revision = 1, Rule = rule, EntityType = entityType, EntityId = entityId, UserId = entityType == "user" ? entityId : "Q1",
        BranchId = "SB0101", Severity = "medium", Score = 45, Day = "2026-03-02", EventTime = at, LastEventTime = at, Count = 1,
        Explanation = $"{rule} on {entityId}", Evidence = ["ev-1"],
    };

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"cursor=([A-Za-z0-9_-]+)")]
    private static partial Regex LinkCursor();

    [GeneratedRegex(@"^<([^>]+)>; rel=""next""$")]
    private static partial Regex NextPath();
}
