using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitor.Store;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// Hostile and careless input over real HTTP, sent as curl sends it (raw bytes): never a 500, always the field
/// named; and headers that keep browsers and proxies from caching or sniffing answers that carry personal data.
/// </summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Raw(string path, byte[] body, string key = ApiHost.OfficerKey, bool expectContinue = false)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        r.Headers.ExpectContinue = expectContinue; // as curl does for large bodies: the server may refuse before the body is sent
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _host.Http.SendAsync(r);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    [Theory]
    [InlineData("/api/alerts/al-off/dismiss")]
    [InlineData("/api/alerts/al-off/confirm")]
    [InlineData("/api/users/UA0101/reinstate")]
    [InlineData("/api/branches/SB0102/reopen")]
    public async Task Invalid_utf8_in_the_reason_is_refused_with_400_naming_reason_and_changes_nothing(string path)
    {
        await _host.SeedAsync();
        var (status, body, _) = await Raw(path, Bytes("{\"reason\":\"", new byte[] { 0xff }, "\"}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("reason", body.GetProperty("field").GetString());
        Assert.Equal(AlertStates.Open, (await _host.Store.AlertAsync("al-off"))!.State);
        Assert.Single(await _host.Store.SuspensionsAsync(active: true));
        Assert.Equal(2, (await _host.Store.AuditAsync()).Count); // the seeded suspension and valve shut only
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe, 0x00 }, "body")] // not UTF-8 at all
    [InlineData(new byte[] { 0x7b, 0x22, 0xff, 0x22, 0x3a, 0x22, 0x61, 0x22, 0x7d }, "body")] // {"\xff":"a"}: the field cannot be known
    [InlineData(new byte[] { 0x7b, 0x22, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0x6f, 0x6b, 0x22, 0x2c, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d }, "note")] // {"reason":"ok","note":"\xc3("}: the field read or not
    public async Task A_body_that_is_not_utf8_is_refused_with_400_naming_the_field_or_the_body(byte[] raw, string field)
    {
        await _host.SeedAsync();
        var (status, body, _) = await Raw("/api/alerts/al-off/dismiss", raw);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"reason":"a","reason":"b"}""", "reason")] // which one goes into the audit log?
    [InlineData("{\"reason\":\"ok\\u0000\"}", "reason")]
    [InlineData("{\"reason\":\"approved\\nCOMMAND reinstate UA0999\\u001b[2J\"}", "reason")]
    [InlineData("{\"reason\":\"\\u202Edesrever\"}", "reason")]
    [InlineData("{\"reason\":\"\\ud800 lone surrogate\"}", "reason")]
    [InlineData("""{"reason":""", "body")]
    [InlineData("""{"reason":null}""", "reason")]
    [InlineData("""{"reason":["a"]}""", "reason")]
    [InlineData("\"just a string\"", "body")]
    public async Task Malformed_and_ambiguous_reasons_are_refused_with_400_naming_the_field(string json, string field)
    {
        await _host.SeedAsync();
        var (status, body, _) = await Raw("/api/alerts/al-off/dismiss", Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal(AlertStates.Open, (await _host.Store.AlertAsync("al-off"))!.State);
    }

    [Fact]
    public async Task A_reason_with_a_line_break_and_non_ascii_text_is_accepted()
    {
        await _host.SeedAsync();
        var (status, _, _) = await Raw("/api/alerts/al-off/dismiss", Encoding.UTF8.GetBytes("{\"reason\":\"加班已批准\\n(branch head)\"}"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("加班已批准\n(branch head)", (await _host.Store.AlertAsync("al-off"))!.StateReason);
    }

    [Theory]
    [InlineData(200_000)]
    [InlineData(5_000_000)]
    public async Task A_huge_body_is_refused_with_413_naming_the_body(int size)
    {
        await _host.SeedAsync();
        var (status, body, _) = await Raw("/api/alerts/al-off/dismiss", Bytes("{\"reason\":\"", new string('a', size), "\"}"), expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("body", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_with_400_not_a_500()
    {
        await _host.SeedAsync();
        var (status, body, _) = await Raw("/api/alerts/al-off/dismiss", Encoding.UTF8.GetBytes("{\"reason\":" + new string('[', 5000) + new string(']', 5000) + "}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body", body.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("from", "2026-04-07T10:00:00")]
    [InlineData("to", "2026-04-07T10:00")]
    [InlineData("from", "2026-04-07T10:00:00.123")]
    [InlineData("from", "2026-04-07")]
    [InlineData("from", "2026-04-07 10:00:00Z")]
    [InlineData("from", "07/04/2026 10:00 +08:00")]
    [InlineData("from", "2026-04-07T10:00:00+0800")]
    [InlineData("to", "2026-04-07T10:00:00+25:00")]
    public async Task A_time_filter_without_an_offset_or_not_iso_8601_is_refused_with_400(string field, string value)
    {
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, $"/api/alerts?{field}={Uri.EscapeDataString(value)}", ApiHost.OfficerKey));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("from=2026-03-02T09:00:00%2B08:00&to=2026-03-02T11:00:00%2B08:00", 2)] // the alerts are at 10:00+08:00
    [InlineData("from=2026-03-02T01:00:00Z&to=2026-03-02T02:30Z", 2)]
    [InlineData("from=2026-03-02T09:59:59.5+08:00", 2)] // an unencoded + arrives as a space: read as +, not refused
    [InlineData("to=2026-03-02T10:00:00.000%2B08:00", 0)] // to is exclusive
    [InlineData("from=2026-03-02T02:00:00.0000001Z", 0)]
    public async Task A_time_filter_with_an_offset_filters_on_the_instant_it_names(string query, int expected)
    {
        await _host.SeedAsync();
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, "/api/alerts?" + query, ApiHost.OfficerKey));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/health", null)]
    [InlineData("GET", "/ready", null)]
    [InlineData("GET", "/api/alerts", ApiHost.OfficerKey)]
    [InlineData("GET", "/api/alerts", null)] // 401
    [InlineData("GET", "/api/audit", ApiHost.OfficerKey)] // 403
    [InlineData("GET", "/api/alerts/no-such-alert", ApiHost.OfficerKey)] // 404
    [InlineData("GET", "/api/no-such-endpoint", ApiHost.OfficerKey)] // 404 without an endpoint
    [InlineData("DELETE", "/api/alerts", ApiHost.OfficerKey)] // 405
    [InlineData("GET", "/api/alerts?limit=nope", ApiHost.OfficerKey)] // 400
    [InlineData("POST", "/api/alerts/al-off/dismiss", ApiHost.OfficerKey)] // 400, no reason
    public async Task Every_answer_says_nosniff_and_no_store_errors_included(string method, string path, string? key)
    {
        await _host.SeedAsync();
        var response = await _host.Http.SendAsync(_host.Request(new HttpMethod(method), path, key));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{method} {path} ({(int)response.StatusCode}): Cache-Control {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task The_headers_are_on_a_413_too()
    {
        var (_, _, response) = await Raw("/api/alerts/al-off/dismiss", new byte[64 * 1024 + 1], expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("/api/alerts?limit=99999999999", "limit")]
    [InlineData("/api/alerts?limit=1&limit=2", "limit")]
    [InlineData("/api/alerts?limit=%ff", "limit")]
    [InlineData("/api/alerts?user=%ff%fe", "user")]
    [InlineData("/api/alerts?branch=%00", "branch")]
    [InlineData("/api/audit?after=99999999999999", "after")]
    [InlineData("/api/audit?limit=1e3", "limit")]
    public async Task Bad_ids_and_paging_numbers_are_refused_with_400_naming_the_field(string path, string field)
    {
        var key = path.StartsWith("/api/audit", StringComparison.Ordinal) ? ApiHost.AuditorKey : ApiHost.OfficerKey;
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, path, key));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/alerts/%ff%fe")]
    [InlineData("/api/users/%E2%80%AE%0A/timeline")]
    public async Task Odd_ids_in_the_path_are_answered_not_failed(string path)
    {
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, path, ApiHost.OfficerKey));
        Assert.True((int)response.StatusCode < 500, $"{path}: {response.StatusCode}");
    }

    [Fact]
    public async Task The_auditor_verifies_the_audit_log_over_the_api_and_readiness_shows_the_verdict()
    {
        await _host.SeedAsync();
        var ready = JsonDocument.Parse(await (await _host.Http.GetAsync("/ready")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("not checked", ready.GetProperty("audit").GetString());
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, "/api/audit/verify", ApiHost.AuditorKey));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("intact").GetBoolean());
        Assert.Equal(2, body.GetProperty("rows").GetInt64());
        Assert.Equal(64, body.GetProperty("head").GetString()!.Length);
        ready = JsonDocument.Parse(await (await _host.Http.GetAsync("/ready")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("intact", ready.GetProperty("audit").GetString());
    }
}
