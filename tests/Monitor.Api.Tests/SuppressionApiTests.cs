using System.Net;
using System.Text.Json;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// The analysts' suppressions through HTTP with real keys: an analyst makes, lists and ends one, each step in the
/// audit log and the host told; officers and auditors may not make or end one; bad input is named by field.
/// </summary>
public sealed class SuppressionApiTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    /// <summary>An expiry the API accepts: it checks against the real clock (the store's is the fixture's).</summary>
    private static string InDays(int days) => DateTimeOffset.UtcNow.AddDays(days).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static string Body(string rule = "OFF_HOURS", string type = "user", string id = "Q440100", string reason = "night shift project approved by compliance", string? until = null) =>
        JsonSerializer.Serialize(new { rule, entityType = type, entityId = id, reason, until = until ?? InDays(7) });

    private async Task<(HttpStatusCode Status, JsonElement Body)> Call(HttpMethod method, string path, string? key, string? body = null)
    {
        var response = await _host.Http.SendAsync(_host.Request(method, path, key, body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task An_analyst_makes_lists_and_ends_a_suppression_and_each_step_is_in_the_audit_log()
    {
        var until = InDays(14);
        var (status, made) = await Call(HttpMethod.Post, "/api/suppressions", ApiHost.AnalystKey, Body(until: until));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = made.GetProperty("id").GetInt64();
        Assert.Equal(("OFF_HOURS", "user", "Q440100", "analyst-li", "active"), (made.GetProperty("rule").GetString(), made.GetProperty("entityType").GetString(),
            made.GetProperty("entityId").GetString(), made.GetProperty("createdBy").GetString(), made.GetProperty("state").GetString()));
        Assert.Equal(DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture), made.GetProperty("until").GetDateTimeOffset());
        Assert.Equal(1, _host.SuppressionChanges);

        var (_, listed) = await Call(HttpMethod.Get, "/api/suppressions", ApiHost.AnalystKey);
        Assert.Equal(id, Assert.Single(listed.GetProperty("suppressions").EnumerateArray()).GetProperty("id").GetInt64());
        var (auditorSees, _) = await Call(HttpMethod.Get, "/api/suppressions?all=true", ApiHost.AuditorKey);
        Assert.Equal(HttpStatusCode.OK, auditorSees);
        var (oneStatus, one) = await Call(HttpMethod.Get, $"/api/suppressions/{id}", ApiHost.AnalystKey);
        Assert.Equal((HttpStatusCode.OK, "night shift project approved by compliance"), (oneStatus, one.GetProperty("reason").GetString()));

        var (endStatus, ended) = await Call(HttpMethod.Post, $"/api/suppressions/{id}/end", ApiHost.AnalystKey, """{"reason":"the project ended early"}""");
        Assert.Equal(HttpStatusCode.OK, endStatus);
        Assert.Equal(("ended", "analyst-li", "the project ended early"), (ended.GetProperty("state").GetString(), ended.GetProperty("endedBy").GetString(), ended.GetProperty("endedReason").GetString()));
        Assert.Equal(2, _host.SuppressionChanges);
        (_, listed) = await Call(HttpMethod.Get, "/api/suppressions", ApiHost.AnalystKey);
        Assert.Empty(listed.GetProperty("suppressions").EnumerateArray());
        (_, listed) = await Call(HttpMethod.Get, "/api/suppressions?all=true", ApiHost.AnalystKey);
        Assert.Equal("ended", Assert.Single(listed.GetProperty("suppressions").EnumerateArray()).GetProperty("state").GetString());

        var (_, audit) = await Call(HttpMethod.Get, "/api/audit", ApiHost.AuditorKey);
        var rows = audit.EnumerateArray().ToList();
        Assert.Equal(["suppression-create", "suppression-end"], rows.Select(r => r.GetProperty("action").GetString()));
        Assert.All(rows, r => Assert.Equal(("analyst-li", "analyst", "OFF_HOURS/user/Q440100"),
            (r.GetProperty("actor").GetString(), r.GetProperty("role").GetString(), r.GetProperty("target").GetString())));
        Assert.Equal(["night shift project approved by compliance", "the project ended early"], rows.Select(r => r.GetProperty("reason").GetString()));
        var (_, verified) = await Call(HttpMethod.Get, "/api/audit/verify", ApiHost.AuditorKey);
        Assert.True(verified.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Officers_and_auditors_may_not_make_or_end_a_suppression_and_a_caller_without_a_key_may_do_nothing()
    {
        var (_, made) = await Call(HttpMethod.Post, "/api/suppressions", ApiHost.AnalystKey, Body(id: "Q1"));
        var id = made.GetProperty("id").GetInt64();
        foreach (var key in new[] { ApiHost.OfficerKey, ApiHost.AuditorKey, ApiHost.BranchOfficerKey })
        {
            var (create, refused) = await Call(HttpMethod.Post, "/api/suppressions", key, Body(id: "Q2"));
            Assert.Equal(HttpStatusCode.Forbidden, create);
            Assert.Contains("needs analyst", refused.GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Post, $"/api/suppressions/{id}/end", key, """{"reason":"no"}""")).Status);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Get, "/api/suppressions", ApiHost.OfficerKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(HttpMethod.Post, "/api/suppressions", null, Body(id: "Q3"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(HttpMethod.Get, "/api/suppressions", "mk_not-a-key")).Status);
        Assert.Single(await _host.Store.SuppressionsAsync(all: true));
        Assert.Single(await _host.Store.AuditAsync());
        Assert.Equal(1, _host.SuppressionChanges);
    }

    [Theory]
    [InlineData("""{"rule":"NOT_A_RULE","entityType":"user","entityId":"Q1","reason":"r","until":"IN7"}""", "rule")]
    [InlineData("""{"entityType":"user","entityId":"Q1","reason":"r","until":"IN7"}""", "rule")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"person","entityId":"Q1","reason":"r","until":"IN7"}""", "entityType")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"","reason":"r","until":"IN7"}""", "entityId")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q 1","reason":"r","until":"IN7"}""", "entityId")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q1","reason":"  ","until":"IN7"}""", "reason")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q1","reason":"r"}""", "until")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q1","reason":"r","until":"2099-01-01T00:00:00"}""", "until")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q1","reason":"r","until":"2020-01-01T00:00:00+08:00"}""", "until")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q1","reason":"r","until":"IN91"}""", "until")]
    [InlineData("""{"rule":"OFF_HOURS","entityType":"user","entityId":"Q1","reason":"r","until":7}""", "until")]
    [InlineData("not json", "body")]
    public async Task Bad_requests_are_refused_naming_the_field_and_write_nothing(string body, string field)
    {
        body = body.Replace("IN91", InDays(91), StringComparison.Ordinal).Replace("IN7", InDays(7), StringComparison.Ordinal);
        var (status, answer) = await Call(HttpMethod.Post, "/api/suppressions", ApiHost.AnalystKey, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", answer.GetProperty("error").GetString());
        Assert.Empty(await _host.Store.SuppressionsAsync(all: true));
        Assert.Empty(await _host.Store.AuditAsync());
        Assert.Equal(0, _host.SuppressionChanges);
    }

    [Fact]
    public async Task A_second_one_for_the_same_rule_and_entity_and_ending_twice_are_conflicts_and_unknown_ids_are_not_found()
    {
        var (_, made) = await Call(HttpMethod.Post, "/api/suppressions", ApiHost.AnalystKey, Body());
        var id = made.GetProperty("id").GetInt64();
        var (again, conflict) = await Call(HttpMethod.Post, "/api/suppressions", ApiHost.AnalystKey, Body(until: InDays(30)));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains($"suppression {id} already covers OFF_HOURS on user Q440100", conflict.GetProperty("error").GetString());

        Assert.Equal("reason", (await Call(HttpMethod.Post, $"/api/suppressions/{id}/end", ApiHost.AnalystKey, "{}")).Body.GetProperty("field").GetString());
        Assert.Equal("id", (await Call(HttpMethod.Post, "/api/suppressions/seven/end", ApiHost.AnalystKey, """{"reason":"r"}""")).Body.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Post, "/api/suppressions/999/end", ApiHost.AnalystKey, """{"reason":"r"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Get, "/api/suppressions/999", ApiHost.AnalystKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call(HttpMethod.Post, $"/api/suppressions/{id}/end", ApiHost.AnalystKey, """{"reason":"done"}""")).Status);
        var (twice, refused) = await Call(HttpMethod.Post, $"/api/suppressions/{id}/end", ApiHost.AnalystKey, """{"reason":"done again"}""");
        Assert.Equal(HttpStatusCode.Conflict, twice);
        Assert.Contains("already ended by analyst-li", refused.GetProperty("error").GetString());
        Assert.Equal(2, (await _host.Store.AuditAsync()).Count);
    }
}
