using System.Net;
using System.Text.Json;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// A branch officer's key (scoped to SB0102) sees and works only its own branch and the branches below it: the
/// seeded alerts and suspension are SB0101's, so they are neither listed nor shown nor changed for it.
/// </summary>
public sealed class BranchScopeAccessTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> Send(string method, string path, string key, string? body = null)
    {
        using var response = await _host.Http.SendAsync(_host.Request(new HttpMethod(method), path, key, body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_branchs_alerts_suspensions_and_timeline_are_invisible_and_cannot_be_changed()
    {
        var (admin, offHours, _) = await _host.SeedAsync();

        Assert.Equal(2, JsonDocument.Parse((await Send("GET", "/api/alerts", ApiHost.OfficerKey)).Body).RootElement.GetArrayLength()); // head office sees both
        Assert.Equal(0, JsonDocument.Parse((await Send("GET", "/api/alerts", ApiHost.BranchOfficerKey)).Body).RootElement.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await Send("GET", $"/api/alerts/{admin.AlertId}", ApiHost.BranchOfficerKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send("POST", $"/api/alerts/{offHours.AlertId}/dismiss", ApiHost.BranchOfficerKey, """{"reason":"not ours"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send("POST", "/api/users/UA0101/reinstate", ApiHost.BranchOfficerKey, """{"reason":"not ours"}""")).Status);
        Assert.Equal(0, JsonDocument.Parse((await Send("GET", "/api/suspensions", ApiHost.BranchOfficerKey)).Body).RootElement.GetArrayLength());
        var timeline = JsonDocument.Parse((await Send("GET", "/api/users/UA0101/timeline", ApiHost.BranchOfficerKey)).Body).RootElement;
        Assert.Equal(0, timeline.GetProperty("alerts").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, timeline.GetProperty("suspension").ValueKind);

        // Its own branch: the valve's stop of SB0102 is listed, and it may reopen it; SB0101 it may not.
        Assert.Contains("SB0102", (await Send("GET", "/api/branches/shut", ApiHost.BranchOfficerKey)).Body);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send("POST", "/api/branches/SB0101/reopen", ApiHost.BranchOfficerKey, """{"reason":"not ours"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send("POST", "/api/branches/SB0102/reopen", ApiHost.BranchOfficerKey, """{"reason":"the branch explained the suspensions"}""")).Status);

        // Nothing it was refused changed anything.
        Assert.Equal("open", (await _host.Store.AlertAsync(offHours.AlertId))!.State);
        Assert.NotNull(await _host.Store.SuspensionOfAsync("UA0101") is { Active: true } s ? s : null);
    }
}
