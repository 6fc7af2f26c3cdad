using System.Net;
using System.Text.Json;
using Monitor.Store;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// The bank's names beside the ids in the officers' answers (docs/api.md, "Names"): once the directory is imported, an
/// alert, its case, the queue's row, a suspension and a valve-stopped branch carry <c>branchName</c>, <c>userName</c>
/// (and an employee's alert <c>employeeName</c>); before, the answers are as they were.
/// </summary>
public sealed class NamesApiTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<JsonElement> Get(string path)
    {
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, path, ApiHost.OfficerKey));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Alerts_cases_queue_rows_suspensions_and_stopped_branches_carry_the_directorys_names_beside_the_ids()
    {
        var (admin, _, _) = await _host.SeedAsync();
        var before = await Get($"/api/alerts/{admin.AlertId}");
        Assert.False(before.TryGetProperty("branchName", out _)); // no directory: the answer as it always was
        Assert.False(before.TryGetProperty("userName", out _));

        await _host.Store.ImportNamesAsync(
            [new("branch", "SB0101", "杭州城东支行"), new("branch", "SB0102", "杭州城西支行"), new("user", "UA0101", "王芳"), new("employee", "E0042", "王芳")],
            "names.csv", Actor.Monitor);

        var alert = await Get($"/api/alerts/{admin.AlertId}");
        Assert.Equal(("杭州城东支行", "王芳"), (alert.GetProperty("branchName").GetString(), alert.GetProperty("userName").GetString()));
        Assert.Equal("SB0101", alert.GetProperty("alert").GetProperty("branchId").GetString()); // the ids stay where they were
        Assert.False(alert.TryGetProperty("employeeName", out _)); // a user's alert, not an employee's

        var listed = (await Get("/api/alerts")).EnumerateArray().ToList();
        Assert.Equal("王芳", listed.Single(a => a.GetProperty("alert").GetProperty("alertId").GetString() == admin.AlertId).GetProperty("userName").GetString());
        var unnamed = listed.Single(a => a.GetProperty("alert").GetProperty("userId").GetString() == "Q440100");
        Assert.False(unnamed.TryGetProperty("userName", out _)); // an account the directory does not name

        var found = await Get($"/api/alerts/{admin.AlertId}/case");
        Assert.Equal(("杭州城东支行", "王芳"), (found.GetProperty("branchName").GetString(), found.GetProperty("userName").GetString()));
        Assert.Equal("王芳", found.GetProperty("alerts")[0].GetProperty("userName").GetString());
        var byId = await Get($"/api/cases/{Uri.EscapeDataString(found.GetProperty("caseId").GetString()!)}");
        Assert.Equal("杭州城东支行", byId.GetProperty("branchName").GetString());

        var row = (await Get("/api/cases?state=open")).GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("userId").GetString() == "UA0101");
        Assert.Equal(("杭州城东支行", "王芳"), (row.GetProperty("branchName").GetString(), row.GetProperty("userName").GetString()));
        Assert.Equal("王芳", row.GetProperty("userNames").GetProperty("UA0101").GetString());
        Assert.Equal("王芳", row.GetProperty("lead").GetProperty("userName").GetString());

        var suspension = (await Get("/api/suspensions")).EnumerateArray().Single();
        Assert.Equal(("杭州城东支行", "王芳"), (suspension.GetProperty("branchName").GetString(), suspension.GetProperty("userName").GetString()));

        var shut = await Get("/api/branches/shut");
        Assert.Equal(["SB0102"], shut.GetProperty("branches").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("杭州城西支行", shut.GetProperty("names").GetProperty("SB0102").GetString());

        var timeline = await Get("/api/users/UA0101/timeline");
        Assert.Equal("王芳", timeline.GetProperty("userName").GetString());
        Assert.Equal("杭州城东支行", timeline.GetProperty("suspension").GetProperty("branchName").GetString());
    }

    [Fact]
    public async Task An_employees_alert_names_the_employee()
    {
        var alert = new Monitor.Contracts.Alert
        {
            AlertId = "al-emp", Revision = 1, Rule = "SHARED_ACCOUNT", EntityType = "employee", EntityId = "E0042", UserId = "QO0101", BranchId = "SB0101",
            Severity = "high", Score = 60, Day = "2026-03-02", EventTime = _host.Clock.GetUtcNow(), LastEventTime = _host.Clock.GetUtcNow(), Count = 1,
            Explanation = "employee E0042 used two accounts", Evidence = [],
        };
        await _host.Store.RecordAsync([alert], [], []);
        await _host.Store.ImportNamesAsync([new("employee", "E0042", "王芳"), new("user", "QO0101", "李娜")], "names.csv", Actor.Monitor);
        var answer = await Get("/api/alerts/al-emp");
        Assert.Equal(("王芳", "李娜"), (answer.GetProperty("employeeName").GetString(), answer.GetProperty("userName").GetString()));
        Assert.False(answer.TryGetProperty("branchName", out _));
    }
}
