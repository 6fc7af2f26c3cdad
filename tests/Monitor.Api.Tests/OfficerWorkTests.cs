using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>What officers, analysts and auditors do through the API, and what it refuses with a field name.</summary>
public sealed class OfficerWorkTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Call(HttpMethod method, string path, string key, string? body = null)
    {
        var response = await _host.Http.SendAsync(_host.Request(method, path, key, body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Theory]
    [InlineData("/api/alerts?rule=NOT_A_RULE", "rule")]
    [InlineData("/api/alerts?state=closed", "state")]
    [InlineData("/api/alerts?severity=severe", "severity")]
    [InlineData("/api/alerts?from=yesterday", "from")]
    [InlineData("/api/alerts?to=2026-03-02", "to")]
    [InlineData("/api/alerts?limit=0", "limit")]
    [InlineData("/api/alerts?user=U%201;drop", "user")]
    [InlineData("/api/suspensions?state=maybe", "state")]
    [InlineData("/api/labels?rule=nope", "rule")]
    public async Task Bad_query_input_is_refused_naming_the_field(string path, string field)
    {
        var key = path.StartsWith("/api/labels", StringComparison.Ordinal) ? ApiHost.AnalystKey : ApiHost.OfficerKey;
        var (status, body) = await Call(HttpMethod.Get, path, key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Bad_audit_paging_is_refused_naming_the_field()
    {
        var (status, body) = await Call(HttpMethod.Get, "/api/audit?after=-1", ApiHost.AuditorKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("after", body.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/alerts/al-off/dismiss", null, "reason")]
    [InlineData("/api/alerts/al-off/dismiss", """{"reason":"  "}""", "reason")]
    [InlineData("/api/alerts/al-off/dismiss", """{"reason":42}""", "reason")]
    [InlineData("/api/alerts/al-off/confirm", "not json", "body")]
    [InlineData("/api/alerts/al-off/confirm", "[1]", "body")]
    [InlineData("/api/users/UA0101/reinstate", "{}", "reason")]
    [InlineData("/api/branches/SB0102/reopen", null, "reason")]
    public async Task Bad_bodies_are_refused_naming_the_field_and_change_nothing(string path, string? body, string field)
    {
        await _host.SeedAsync();
        var (status, answer) = await Call(HttpMethod.Post, path, ApiHost.OfficerKey, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer.GetProperty("field").GetString());
        Assert.Empty(await _host.Store.AuditAsync(after: 2));
        Assert.Empty(_host.Sent);
    }

    [Fact]
    public async Task An_officer_acknowledges_then_confirms_and_the_verdict_is_a_label_and_an_audit_line()
    {
        await _host.SeedAsync();
        var (ack, acked) = await Call(HttpMethod.Post, "/api/alerts/al-admin/acknowledge", ApiHost.OfficerKey);
        Assert.Equal(HttpStatusCode.OK, ack);
        Assert.Equal("acknowledged", acked.GetProperty("state").GetString());
        var (confirm, confirmed) = await Call(HttpMethod.Post, "/api/alerts/al-admin/confirm", ApiHost.OfficerKey, """{"reason":"branch confirmed the admin read 3 reports"}""");
        Assert.Equal(HttpStatusCode.OK, confirm);
        Assert.Equal("officer-wang", confirmed.GetProperty("stateBy").GetString());
        var (_, labels) = await Call(HttpMethod.Get, "/api/labels", ApiHost.AnalystKey);
        Assert.Equal("violation", labels[0].GetProperty("verdict").GetString());
        var (_, audit) = await Call(HttpMethod.Get, "/api/audit", ApiHost.AuditorKey);
        Assert.Equal(["suspend", "valve-shut", "acknowledge", "confirm"], audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.Equal("branch confirmed the admin read 3 reports", audit[3].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Unknown_alerts_are_404_and_a_transition_the_state_forbids_is_409()
    {
        await _host.SeedAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Get, "/api/alerts/al-nope", ApiHost.OfficerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Post, "/api/alerts/al-nope/acknowledge", ApiHost.OfficerKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call(HttpMethod.Post, "/api/alerts/al-off/dismiss", ApiHost.OfficerKey, """{"reason":"night shift approved"}""")).Status);
        var (status, body) = await Call(HttpMethod.Post, "/api/alerts/al-off/confirm", ApiHost.OfficerKey);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("dismissed", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Alerts_list_filters_and_one_alert_carries_its_evidence()
    {
        await _host.SeedAsync();
        var (_, critical) = await Call(HttpMethod.Get, "/api/alerts?severity=critical&state=open", ApiHost.AnalystKey);
        Assert.Equal(["al-admin"], critical.EnumerateArray().Select(a => a.GetProperty("alert").GetProperty("alertId").GetString()));
        var (_, byUser) = await Call(HttpMethod.Get, "/api/alerts?user=Q440100&from=2026-03-02T00:00:00%2B08:00&to=2026-03-03T00:00:00%2B08:00", ApiHost.AuditorKey);
        Assert.Equal(["al-off"], byUser.EnumerateArray().Select(a => a.GetProperty("alert").GetProperty("alertId").GetString()));
        var (_, one) = await Call(HttpMethod.Get, "/api/alerts/al-admin", ApiHost.OfficerKey);
        Assert.Equal(["ev-1"], one.GetProperty("alert").GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Reinstating_sends_a_reinstate_command_ends_the_suspension_and_a_second_try_is_404()
    {
        var (_, _, suspend) = await _host.SeedAsync();
        var (status, body) = await Call(HttpMethod.Post, "/api/users/UA0101/reinstate", ApiHost.OfficerKey, """{"reason":"sanctioned audit, verified by the branch"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var sent = Assert.Single(_host.Sent);
        Assert.Equal("reinstate", sent.Action);
        Assert.Equal("UA0101", sent.UserId);
        Assert.Equal(sent.CommandId, body.GetProperty("command").GetProperty("commandId").GetString());
        Assert.Equal(suspend.AlertIds, sent.AlertIds);
        var (_, active) = await Call(HttpMethod.Get, "/api/suspensions", ApiHost.OfficerKey);
        Assert.Equal(0, active.GetArrayLength());
        var (_, ended) = await Call(HttpMethod.Get, "/api/suspensions?state=ended", ApiHost.OfficerKey);
        Assert.Equal("sanctioned audit, verified by the branch", ended[0].GetProperty("endedReason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Post, "/api/users/UA0101/reinstate", ApiHost.OfficerKey, """{"reason":"again"}""")).Status);
        Assert.Single(_host.Sent);
    }

    [Fact]
    public async Task The_timeline_shows_the_users_recent_events_alerts_commands_and_suspension()
    {
        await _host.SeedAsync();
        var (_, t) = await Call(HttpMethod.Get, "/api/users/UA0101/timeline", ApiHost.AuditorKey);
        Assert.Equal("ev-admin-1", t.GetProperty("events")[0].GetProperty("eventId").GetString());
        Assert.Equal("al-admin", t.GetProperty("alerts")[0].GetProperty("alert").GetProperty("alertId").GetString());
        Assert.Equal("suspend", t.GetProperty("commands")[0].GetProperty("command").GetProperty("action").GetString());
        Assert.True(t.GetProperty("suspension").GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Reopening_a_shut_branch_reaches_the_detection_graph_and_the_audit_log()
    {
        await _host.SeedAsync();
        var (_, shut) = await Call(HttpMethod.Get, "/api/branches/shut", ApiHost.OfficerKey);
        Assert.Equal("SB0102", shut.GetProperty("branches")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await Call(HttpMethod.Post, "/api/branches/SB0102/reopen", ApiHost.OfficerKey, """{"reason":"feed fixed"}""")).Status);
        Assert.Equal(["SB0102"], _host.Reopened);
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Post, "/api/branches/SB0102/reopen", ApiHost.OfficerKey, """{"reason":"again"}""")).Status);
        Assert.Equal("valve-reopen", (await _host.Store.AuditAsync()).Last().Action);
    }

    [Fact]
    public async Task No_call_can_alter_the_audit_log_and_settings_never_show_key_hashes()
    {
        await _host.SeedAsync();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            var status = (await Call(method, "/api/audit", ApiHost.AuditorKey, "{}")).Status;
            Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        }
        Assert.Equal(2, (await _host.Store.AuditAsync()).Count);
        var settings = await (await _host.Http.SendAsync(_host.Request(HttpMethod.Get, "/api/settings", ApiHost.AnalystKey))).Content.ReadAsStringAsync();
        Assert.Contains("\"suspension\"", settings);
        Assert.DoesNotContain(ApiKeys.Hash(ApiHost.OfficerKey), settings);
    }
}
