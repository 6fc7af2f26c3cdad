using System.Net;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>Least privilege on every endpoint: no key 401, a wrong role 403, an allowed role gets through.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private const string Reason = """{"reason":"checked with the branch"}""";

    public static TheoryData<string, string, string?, string> Endpoints => new()
    {
        { "GET", "/api/alerts", null, "officer analyst auditor" },
        { "GET", "/api/alerts/al-off", null, "officer analyst auditor" },
        { "POST", "/api/alerts/al-off/acknowledge", Reason, "officer" },
        { "POST", "/api/alerts/al-off/confirm", Reason, "officer" },
        { "POST", "/api/alerts/al-off/dismiss", Reason, "officer" },
        { "GET", "/api/suspensions", null, "officer analyst auditor" },
        { "POST", "/api/users/UA0101/reinstate", Reason, "officer" },
        { "GET", "/api/users/UA0101/timeline", null, "officer analyst auditor" },
        { "GET", "/api/branches/shut", null, "officer analyst auditor" },
        { "POST", "/api/branches/SB0102/reopen", Reason, "officer" },
        { "GET", "/api/labels", null, "analyst auditor" },
        { "GET", "/api/settings", null, "analyst auditor" },
        { "GET", "/api/audit", null, "auditor" },
        { "GET", "/api/audit/verify", null, "auditor" },
        { "GET", "/api/me", null, "officer analyst auditor" },
        { "GET", "/api/officers", null, "officer analyst auditor" },
        { "GET", "/api/cases", null, "officer analyst auditor" },
        { "GET", "/api/alerts/al-off/case", null, "officer analyst auditor" },
        { "POST", "/api/alerts/al-off/notes", """{"text":"called the branch"}""", "officer" },
        { "POST", "/api/alerts/al-off/assign", """{"officer":"officer-wang"}""", "officer" },
        { "GET", "/api/users/UA0101/days", null, "officer analyst auditor" },
        { "GET", "/api/stats/rules", null, "analyst auditor" },
        { "GET", "/api/audit/search", null, "auditor" },
        { "GET", "/api/audit/export", null, "auditor" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_refuses_no_key_and_unknown_keys_and_roles_it_does_not_name(string method, string path, string? body, string roles)
    {
        await _host.SeedAsync();
        var m = new HttpMethod(method);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(_host.Request(m, path, null, body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(_host.Request(m, path, "mk_not-a-key", body))).StatusCode);
        foreach (var (role, key) in Keys)
        {
            var status = (await _host.Http.SendAsync(_host.Request(m, path, key, body))).StatusCode;
            if (roles.Split(' ').Contains(role)) Assert.True(status == HttpStatusCode.OK, $"{role} on {method} {path}: {status}");
            else Assert.True(status == HttpStatusCode.Forbidden, $"{role} on {method} {path}: {status}");
        }
    }

    [Fact]
    public async Task Health_and_readiness_need_no_key_and_readiness_fails_while_the_pipeline_is_stopped()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("/ready")).StatusCode);
        _host.Running = false;
        var ready = await _host.Http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"pipeline\":\"stopped\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_key_in_the_x_api_key_header_works_too()
    {
        var r = new HttpRequestMessage(HttpMethod.Get, "/api/alerts");
        r.Headers.Add("X-Api-Key", ApiHost.AuditorKey);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.SendAsync(r)).StatusCode);
    }

    private static readonly (string Role, string Key)[] Keys =
        [("officer", ApiHost.OfficerKey), ("analyst", ApiHost.AnalystKey), ("auditor", ApiHost.AuditorKey)];
}
