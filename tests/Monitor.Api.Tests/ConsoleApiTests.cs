using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Monitor.Contracts;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// What the officers' console is served and asks (docs/console.md, docs/api.md): its files without a key and with a
/// policy that runs only its own scripts; who the key is; the queue of cases; an alert's case with its evidence in the
/// contract's shape; notes and assignments with their checks; a user's daily reads; the audit log's search and CSV.
/// </summary>
public sealed partial class ConsoleApiTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Call(HttpMethod method, string path, string? key, string? body = null)
    {
        var response = await _host.Http.SendAsync(_host.Request(method, path, key, body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A branch spike at SB0101 (the branch's alert and two users'), a user's alert at SB0103, and the events of one of them.</summary>
    private async Task SeedSpikeAsync()
    {
        Alert A(string id, string? user, string branch, string entityType = "user", string severity = "high") => new()
        {
            AlertId = id, Revision = 1, Rule = "VOLUME_SPIKE", EntityType = entityType, EntityId = user ?? branch, UserId = user, BranchId = branch,
            Severity = severity, Score = 70, Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1,
            Explanation = $"spike {id}", Evidence = ["ev-q1", "ev-gone"],
        };
        await _host.Store.RecordAsync([A("sp-b", null, "SB0101", "branch", "medium"), A("sp-1", "QO1", "SB0101"), A("sp-2", "QO2", "SB0101", severity: "critical"), A("lone", "QO3", "SB0103")], [], [],
            [new UserDay { UserId = "QO1", BranchId = "SB0101", Day = "2026-03-01", Reads = new Dictionary<string, int> { ["loan_approval"] = 7 } },
             new UserDay { UserId = "QO1", BranchId = "SB0101", Day = "2026-03-02", Reads = new Dictionary<string, int> { ["loan_approval"] = 70, ["self_query"] = 2 } }]);
        _host.Events.Add([Ev.Query(user: "QO1", id: "ev-q1", purpose: Purpose.PostLoanManagement), Ev.Query(user: "QO1", id: "ev-other")]);
    }

    [Fact]
    public async Task The_console_is_served_at_the_root_without_a_key_and_runs_only_its_own_scripts()
    {
        var root = await _host.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType!.MediaType);
        var csp = root.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var html = await root.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html); // nothing from another site
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync("/console/nope.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync("/console/../OfficerApi.cs")).StatusCode);

        // Every module the page imports is served, as JavaScript; none is fetched from elsewhere.
        var pending = new Queue<string>(["app.js"]);
        var seen = new HashSet<string>();
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name)) continue;
            var file = await _host.Http.GetAsync("/console/" + name);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{name}: {file.StatusCode}");
            Assert.Equal("text/javascript", file.Content.Headers.ContentType!.MediaType);
            var js = await file.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"https?://(?!www\.w3\.org/2000/svg)", js);
            foreach (Match m in Import().Matches(js))
                pending.Enqueue(new Uri(new Uri("http://console/" + name), m.Groups[1].Value).AbsolutePath.TrimStart('/'));
        }
        Assert.Contains("pages/queue.js", seen);
        Assert.Contains("i18n.js", seen);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("/console/console.css")).StatusCode);
    }

    [Fact]
    public async Task Me_says_who_the_key_is_its_role_branch_and_the_banks_zone()
    {
        var (_, officer) = await Call(HttpMethod.Get, "/api/me", ApiHost.BranchOfficerKey);
        Assert.Equal(("officer-sun", "officer", "SB0102", "Asia/Shanghai", true),
            (officer.GetProperty("name").GetString(), officer.GetProperty("role").GetString(), officer.GetProperty("branch").GetString(), officer.GetProperty("timeZone").GetString(), officer.GetProperty("mayAct").GetBoolean()));
        var (_, auditor) = await Call(HttpMethod.Get, "/api/me", ApiHost.AuditorKey);
        Assert.False(auditor.GetProperty("mayAct").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(HttpMethod.Get, "/api/me", null)).Status);
        var (_, officers) = await Call(HttpMethod.Get, "/api/officers", ApiHost.AuditorKey);
        Assert.Equal(["officer-sun", "officer-wang"], officers.GetProperty("officers").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_queue_is_one_row_per_case_sorted_paged_and_filtered_by_a_branch_and_those_below_it()
    {
        await SeedSpikeAsync();
        var (status, q) = await Call(HttpMethod.Get, "/api/cases?state=open", ApiHost.OfficerKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((2, 4, false), (q.GetProperty("total").GetInt32(), q.GetProperty("alerts").GetInt32(), q.GetProperty("truncated").GetBoolean()));
        var spike = q.GetProperty("cases")[0];
        Assert.Equal(("branch:SB0101:2026-03-02", "branch", "critical"), (spike.GetProperty("caseId").GetString(), spike.GetProperty("kind").GetString(), spike.GetProperty("severity").GetString()));
        Assert.Equal("sp-2", spike.GetProperty("lead").GetProperty("alert").GetProperty("alertId").GetString());
        Assert.Equal(["sp-2", "sp-1", "sp-b"], spike.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("alertId").GetString()));
        Assert.Equal(["QO1", "QO2"], spike.GetProperty("users").EnumerateArray().Select(u => u.GetString()));

        var (_, page2) = await Call(HttpMethod.Get, "/api/cases?pageSize=1&page=2", ApiHost.OfficerKey);
        Assert.Equal("user:QO3:2026-03-02", page2.GetProperty("cases")[0].GetProperty("caseId").GetString());
        var (_, below) = await Call(HttpMethod.Get, "/api/cases?branch=SB0103", ApiHost.OfficerKey);
        Assert.Equal(1, below.GetProperty("total").GetInt32());
        // Age is counted back from now (the API's clock is the machine's here): alerts of March 2026 are older than a week.
        var (_, old) = await Call(HttpMethod.Get, "/api/cases?age=over-7d", ApiHost.OfficerKey);
        Assert.Equal(2, old.GetProperty("total").GetInt32());
        var (_, none) = await Call(HttpMethod.Get, "/api/cases?age=within-1d", ApiHost.OfficerKey);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        // A branch officer sees the cases of its branches only, and may not ask for another's.
        var (_, scoped) = await Call(HttpMethod.Get, "/api/cases", ApiHost.BranchOfficerKey);
        Assert.Equal(0, scoped.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Get, "/api/cases?branch=SB0101", ApiHost.BranchOfficerKey)).Status);
    }

    [Theory]
    [InlineData("/api/cases?sort=loudest", "sort")]
    [InlineData("/api/cases?age=3d", "age")]
    [InlineData("/api/cases?pageSize=500", "pageSize")]
    [InlineData("/api/cases?page=0", "page")]
    [InlineData("/api/cases?state=closed", "state")]
    [InlineData("/api/stats/rules?from=03/02/2026", "from")]
    [InlineData("/api/audit/search?before=x", "before")]
    [InlineData("/api/audit/search?from=2026-03-02", "from")]
    [InlineData("/api/audit/export?action=a%20b", "action")]
    public async Task Bad_console_queries_are_refused_naming_the_field(string path, string field)
    {
        var key = path.StartsWith("/api/audit", StringComparison.Ordinal) ? ApiHost.AuditorKey : ApiHost.AnalystKey;
        var (status, body) = await Call(HttpMethod.Get, path, key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_alerts_case_holds_its_alerts_notes_assignments_and_the_evidence_still_in_memory_in_the_contracts_shape()
    {
        await SeedSpikeAsync();
        Assert.Equal(HttpStatusCode.OK, (await Call(HttpMethod.Post, "/api/alerts/sp-b/notes", ApiHost.OfficerKey, """{"text":"月末批量"}""")).Status);
        var (status, c) = await Call(HttpMethod.Get, "/api/alerts/sp-1/case", ApiHost.AnalystKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("branch:SB0101:2026-03-02", c.GetProperty("caseId").GetString());
        Assert.Equal(3, c.GetProperty("alerts").GetArrayLength());
        Assert.Equal("月末批量", c.GetProperty("notes")[0].GetProperty("text").GetString());
        var evidence = Assert.Single(c.GetProperty("evidence").EnumerateArray());
        Assert.Equal(("ev-q1", "query", "post_loan_management"), (evidence.GetProperty("eventId").GetString(), evidence.GetProperty("type").GetString(), evidence.GetProperty("purpose").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Get, "/api/alerts/nope/case", ApiHost.OfficerKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Get, "/api/alerts/sp-1/case", ApiHost.BranchOfficerKey)).Status);

        var (_, days) = await Call(HttpMethod.Get, "/api/users/QO1/days", ApiHost.AuditorKey);
        Assert.Equal([("2026-03-01", 7), ("2026-03-02", 72)], days.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), d.GetProperty("reads").GetInt32())));
        var (_, hidden) = await Call(HttpMethod.Get, "/api/users/QO1/days", ApiHost.BranchOfficerKey);
        Assert.Equal(0, hidden.GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task A_note_needs_text_and_an_officer_and_an_assignment_an_officer_whose_key_covers_the_alerts_branch()
    {
        await SeedSpikeAsync();
        Assert.Equal("text", (await Call(HttpMethod.Post, "/api/alerts/sp-1/notes", ApiHost.OfficerKey, """{"text":"  "}""")).Body.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Post, "/api/alerts/sp-1/notes", ApiHost.AuditorKey, """{"text":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Post, "/api/alerts/nope/notes", ApiHost.OfficerKey, """{"text":"x"}""")).Status);

        var (status, bad) = await Call(HttpMethod.Post, "/api/alerts/sp-1/assign", ApiHost.OfficerKey, """{"officer":"auditor-zhao"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "officer"), (status, bad.GetProperty("field").GetString()));
        (status, bad) = await Call(HttpMethod.Post, "/api/alerts/sp-1/assign", ApiHost.OfficerKey, """{"officer":"officer-sun"}"""); // SB0102's officer
        Assert.Equal((HttpStatusCode.BadRequest, "officer"), (status, bad.GetProperty("field").GetString()));
        Assert.Contains("SB0102", bad.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Post, "/api/alerts/sp-1/assign", ApiHost.BranchOfficerKey, """{"officer":"officer-sun"}""")).Status);

        var (ok, done) = await Call(HttpMethod.Post, "/api/alerts/sp-1/assign?case=true", ApiHost.OfficerKey, """{"officer":"officer-wang","reason":"值班"}""");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(["sp-2", "sp-1", "sp-b"], done.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("alertId").GetString()));
        var (_, q) = await Call(HttpMethod.Get, "/api/cases", ApiHost.OfficerKey);
        Assert.Equal("officer-wang", q.GetProperty("cases")[0].GetProperty("assignedTo").GetString());
        Assert.Equal(JsonValueKind.Null, q.GetProperty("cases")[1].GetProperty("assignedTo").ValueKind);
    }

    [Fact]
    public async Task The_audit_log_is_searched_a_page_at_a_time_and_exported_as_csv()
    {
        await _host.SeedAsync(); // a suspension and a valve shut: two rows
        await Call(HttpMethod.Post, "/api/alerts/al-off/dismiss", ApiHost.OfficerKey, """{"reason":"=1+1"}""");
        var (_, page) = await Call(HttpMethod.Get, "/api/audit/search?limit=2", ApiHost.AuditorKey);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(["dismiss", "valve-shut"], page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var next = page.GetProperty("next").GetInt64();
        var (_, rest) = await Call(HttpMethod.Get, $"/api/audit/search?limit=2&before={next}", ApiHost.AuditorKey);
        Assert.Equal(["suspend"], rest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
        // The target by its start, sheet and suppression paths included.
        var (_, branch) = await Call(HttpMethod.Get, "/api/audit/search?target=SB01", ApiHost.AuditorKey);
        Assert.Equal(["SB0102"], branch.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString()));
        Assert.Equal(0, (await Call(HttpMethod.Get, "/api/audit/search?target=SB0102/2026-03-02/", ApiHost.AuditorKey)).Body.GetProperty("total").GetInt32());
        Assert.Equal("target", (await Call(HttpMethod.Get, "/api/audit/search?target=a%20b", ApiHost.AuditorKey)).Body.GetProperty("field").GetString());

        var csv = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, "/api/audit/export?actor=officer-wang", ApiHost.AuditorKey));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", csv.Content.Headers.ContentDisposition!.FileNameStar ?? csv.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(",officer-wang,officer,dismiss,al-off,'=1+1,", lines[1]);
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Get, "/api/audit/export", ApiHost.OfficerKey)).Status);
    }

    [GeneratedRegex(@"from '(\.\.?/[^']+)'")]
    private static partial Regex Import();
}
