using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The HTTP API for security officers, analysts and auditors (docs/api.md), served by <c>run</c> and <c>demo</c>
/// on loopback by default. Every endpoint but health and readiness needs an API key, and each names the roles
/// it allows (least privilege). Request logging is off: paths and bodies carry user ids and nothing about a
/// request is written to the console; what changed is in the audit log.
/// </summary>
public sealed partial class OfficerApi : IAsyncDisposable
{
    private static readonly string[] Everyone = [ApiKeys.Officer, ApiKeys.Analyst, ApiKeys.Auditor];
    private static readonly string[] Officers = [ApiKeys.Officer];
    private static readonly string[] Tuning = [ApiKeys.Analyst, ApiKeys.Auditor];
    private static readonly string[] Analysts = [ApiKeys.Analyst];
    private static readonly string[] Auditors = [ApiKeys.Auditor];
    private static readonly IReadOnlyList<string> Severities = ["low", "medium", "high", "critical"];

    private readonly WebApplication _app;
    private readonly ApiDependencies _deps;
    private readonly BankTime _time;

    private OfficerApi(WebApplication app, ApiDependencies deps, BankTime time)
    {
        _app = app;
        _deps = deps;
        _time = time;
    }

    /// <summary>Where the API answers, e.g. http://127.0.0.1:8080.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts listening on <paramref name="listen"/> (host:port; port 0 picks a free one).</summary>
    public static async Task<OfficerApi> StartAsync(ApiDependencies deps, string listen, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var colon = listen.LastIndexOf(':');
        var host = listen[..colon];
        var port = int.Parse(listen[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var ip = host is "localhost" or "" ? IPAddress.Loopback : IPAddress.Parse(host);
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(ip, port);
            o.Limits.MaxRequestBodySize = Problems.MaxBody; // bodies are {"reason": "..."}: larger ones are refused with 413
        });
        var time = new BankTime(deps.TimeZone);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(time.Converter)); // every time in the bank's zone
        var app = builder.Build();
        var api = new OfficerApi(app, deps, time);
        api.Map();
        await app.StartAsync(ct);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map()
    {
        _app.Use(Guarded);
        _app.MapGet("/health", () => Results.Json(new { status = "up" }));
        _app.MapGet("/ready", Ready);
        Allow(_app.MapGet("/api/alerts", (Func<HttpContext, Task<IResult>>)ListAlerts), Everyone);
        Allow(_app.MapGet("/api/alerts/{alertId}", OneAlert), Everyone);
        Allow(_app.MapPost("/api/alerts/{alertId}/acknowledge", (HttpContext h, string alertId) => Transition(h, alertId, AlertStates.Acknowledged)), Officers);
        Allow(_app.MapPost("/api/alerts/{alertId}/confirm", (HttpContext h, string alertId) => Transition(h, alertId, AlertStates.Confirmed)), Officers);
        Allow(_app.MapPost("/api/alerts/{alertId}/dismiss", (HttpContext h, string alertId) => Transition(h, alertId, AlertStates.Dismissed)), Officers);
        Allow(_app.MapGet("/api/suspensions", (Func<HttpContext, Task<IResult>>)ListSuspensions), Everyone);
        Allow(_app.MapPost("/api/users/{userId}/reinstate", Reinstate), Officers);
        Allow(_app.MapGet("/api/users/{userId}/timeline", Timeline), Everyone);
        Allow(_app.MapGet("/api/sheets", (Func<HttpContext, Task<IResult>>)ListSheets), Everyone);
        Allow(_app.MapGet("/api/sheets/{branchId}/{day}", Sheet), Everyone);
        Allow(_app.MapPost("/api/sheets/{branchId}/{day}/items", SheetVerdicts), Officers);
        Allow(_app.MapPost("/api/sheets/{branchId}/{day}/items/{itemId}", (HttpContext h, string branchId, string day, string itemId) => SheetVerdict(h, branchId, day, itemId, correction: false)), Officers);
        Allow(_app.MapPost("/api/sheets/{branchId}/{day}/items/{itemId}/correction", (HttpContext h, string branchId, string day, string itemId) => SheetVerdict(h, branchId, day, itemId, correction: true)), Officers);
        Allow(_app.MapPost("/api/sheets/{branchId}/{day}/sign", SignSheet), Officers);
        Allow(_app.MapGet("/api/reports/daily/{branchId}/{day}", DailyReportOf), Everyone);
        Allow(_app.MapGet("/api/reports/monthly/{month}", MonthlyReportOf), Everyone);
        Allow(_app.MapGet("/api/branches/shut", async (HttpContext h) =>
        {
            var scope = await ScopeOf(h);
            var shut = (await _deps.Store.ShutBranchesAsync()).Where(b => scope is null || scope.Contains(b)).ToList();
            var names = await _deps.Store.NamesAsync(shut, [], []);
            return Results.Json(new { branches = shut, names = NamedOnly(shut, names.Branch) });
        }), Everyone);
        Allow(_app.MapPost("/api/branches/{branchId}/reopen", Reopen), Officers);
        Allow(_app.MapGet("/api/labels", (Func<HttpContext, Task<IResult>>)Labels), Tuning);
        Allow(_app.MapGet("/api/settings", ShownSettings), Tuning);
        MapSuppressions();
        Allow(_app.MapGet("/api/audit", (Func<HttpContext, Task<IResult>>)Audit), Auditors);
        Allow(_app.MapGet("/api/audit/verify", VerifyAudit), Auditors);
        MapConsole();
    }

    /// <summary>
    /// Around every request, matched or not: answers are never cached by a browser or a proxy, nor sniffed into
    /// another content type (they carry personal data); a request the server cannot read (a body over the
    /// limit, a broken upload) gets its 4xx in the API's error shape, and an unexpected failure a 500 without
    /// internals.
    /// </summary>
    private static async Task Guarded(HttpContext h, RequestDelegate next)
    {
        h.Response.OnStarting(() =>
        {
            h.Response.Headers.XContentTypeOptions = "nosniff";
            h.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        try
        {
            await next(h);
        }
        catch (BadHttpRequestException e) when (!h.Response.HasStarted)
        {
            h.Response.Clear();
            await Problems.Unreadable(e).ExecuteAsync(h);
        }
        catch (Exception e) when (!h.Response.HasStarted && e is not OperationCanceledException)
        {
            h.Response.Clear();
            await Results.Json(new { error = "the request failed inside the monitor; it is not the caller's mistake" }, statusCode: 500).ExecuteAsync(h);
        }
    }

    /// <summary>Requires a known key whose role is one of <paramref name="roles"/>; the caller becomes the request's actor.</summary>
    private void Allow(RouteHandlerBuilder endpoint, string[] roles) => endpoint.AddEndpointFilter(async (ctx, next) =>
    {
        var http = ctx.HttpContext;
        var key = KeyOf(http.Request);
        var entry = key is null ? null : ApiKeys.Find(_deps.Access().Keys, key);
        if (entry is null) return Problems.Unauthorized();
        if (!roles.Contains(entry.Role)) return Problems.Forbidden(entry.Role, roles);
        http.Items[nameof(Actor)] = new Actor(entry.Name, entry.Role);
        http.Items[nameof(ApiKey.Branch)] = entry.Branch;
        return await next(ctx);
    });

    private static string? KeyOf(HttpRequest r)
    {
        var auth = r.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        var header = r.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    private static Actor ActorOf(HttpContext h) => (Actor)h.Items[nameof(Actor)]!;

    /// <summary>
    /// 200 when the store answers and no readiness condition is set; else 503 with every reason in words
    /// (<c>"reasons": ["kafka: 127.0.0.1:1 unreachable (Connection refused), retrying"]</c>).
    /// </summary>
    private async Task<IResult> Ready()
    {
        var store = await _deps.Store.PingAsync();
        var conditions = _deps.Readiness.Conditions;
        var reasons = conditions.Select(c => $"{c.Name}: {c.Reason}").ToList();
        if (!store) reasons.Insert(0, "store: does not answer");
        if (LagReason() is { } lag) reasons.Add(lag);
        var pipeline = !conditions.Any(c => c.Name == "pipeline");
        var ready = reasons.Count == 0;
        var audit = _deps.Store.LastAuditCheck is { } check ? check.Intact ? "intact" : $"broken at row {check.FirstBroken!.Id}" : "not checked";
        var body = new { ready, store = store ? "ok" : "unreachable", pipeline = pipeline ? "running" : "stopped", reasons, audit, feeds = _deps.Readiness.Feeds.StatesIn(_time.Zone) };
        return Results.Json(body, statusCode: ready ? 200 : 503);
    }

    /// <summary>A branch's daily verification sheet for a closed local day (docs/verification.md).</summary>
    private async Task<IResult> Sheet(HttpContext h, string branchId, string day)
    {
        if (await SheetRefusal(h, branchId, day) is { } refused) return refused;
        if (await _deps.Store.SheetAsync(branchId, day) is { } sheet)
        {
            var names = await NamesOf(sheet.Findings, [branchId], sheet.Users.Select(u => u.UserId).Concat(sheet.Items.Select(i => i.UserId)));
            var employees = await _deps.Store.NamesAsync([], [], sheet.Users.Select(u => u.EmployeeId));
            return Results.Json(sheet with
            {
                Findings = [.. sheet.Findings.Select(f => f.Named(names))],
                BranchName = names.Branch(branchId),
                UserNames = NamedOnly(sheet.Users.Select(u => u.UserId).Concat(sheet.Items.Select(i => i.UserId)), names.User) is { Count: > 0 } u ? u : null,
                EmployeeNames = NamedOnly(sheet.Users.Select(u => u.EmployeeId), employees.Employee) is { Count: > 0 } e ? e : null,
            });
        }
        return Problems.NotFound((await _deps.Store.BranchTreeAsync()).ContainsKey(branchId)
            ? $"no closed day {day} for branch {branchId}: a day's sheet appears once event time has passed the day's end plus the allowed lateness, for a branch whose users were active that day"
            : $"no day of branch {branchId} has closed yet: check the id (ids are case-sensitive), or wait for its first day to close");
    }

    /// <summary>The daily verification report of a branch's day as a workbook (<c>format=xlsx</c>, the default) or a printable page (<c>format=html</c>), <c>lang=zh-CN|en</c>.</summary>
    private async Task<IResult> DailyReportOf(HttpContext h, string branchId, string day)
    {
        if (await SheetRefusal(h, branchId, day) is { } refused) return refused;
        IResult? error = null;
        var format = Problems.OneOf(h.Request, "format", ["xlsx", "html"], ref error) ?? "xlsx";
        var lang = Problems.OneOf(h.Request, "lang", Reports.ReportLanguage.Tags, ref error);
        if (error is not null) return error;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(_deps.TimeZone());
        var report = await Reports.ReportData.DailyAsync(_deps.Store, branchId, day, Reports.ReportLanguage.Parse(lang)!, zone, _deps.Clock.GetUtcNow(), _deps.SheetDue);
        return report is null ? Problems.NotFound($"no closed day {day} for branch {branchId}") : ReportResult(report, format, $"daily-{branchId}-{day}");
    }

    /// <summary>The monthly compliance summary (<c>branch=</c>: that branch and those below it; a branch officer's key gets its own scope at most).</summary>
    private async Task<IResult> MonthlyReportOf(HttpContext h, string month)
    {
        if (!IsDay(month + "-01")) return Problems.Bad("month", $"'{month}' is not a month as yyyy-MM");
        IResult? error = null;
        var format = Problems.OneOf(h.Request, "format", ["xlsx", "html"], ref error) ?? "xlsx";
        var lang = Problems.OneOf(h.Request, "lang", Reports.ReportLanguage.Tags, ref error);
        var branch = Problems.Text(h.Request, "branch", ref error);
        if (error is not null) return error;
        if (h.Items[nameof(ApiKey.Branch)] is string scope)
        {
            branch ??= scope;
            if (!BranchScope.Below(scope, await _deps.Store.BranchTreeAsync()).Contains(branch))
                return Problems.Forbidden($"the key of {ActorOf(h).Name} is for branch {scope} and the branches below it; {branch} is not one of them");
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(_deps.TimeZone());
        var report = await Reports.ReportData.MonthlyAsync(_deps.Store, month, branch, Reports.ReportLanguage.Parse(lang)!, zone, _deps.Clock.GetUtcNow(), _deps.SheetDue);
        return ReportResult(report, format, $"monthly-{month}{(branch is null ? "" : "-" + branch)}");
    }

    private static IResult ReportResult(Reports.Report report, string format, string name)
    {
        if (format == "html") return Results.Content(Reports.HtmlReport.Render(report), "text/html; charset=utf-8");
        var xlsx = new MemoryStream();
        Reports.XlsxReport.Write(report, xlsx);
        return Results.File(xlsx.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }

    /// <summary>An officer's verdict on a sheet item, or (<paramref name="correction"/>) a correction to a signed sheet's.</summary>
    private async Task<IResult> SheetVerdict(HttpContext h, string branchId, string day, string itemId, bool correction)
    {
        if (await SheetRefusal(h, branchId, day) is { } refused) return refused;
        var (verdict, reason, error) = await Problems.Verdict(h.Request, ItemVerdict.All);
        if (error is not null) return error;
        var change = correction
            ? await _deps.Store.CorrectAsync(branchId, day, itemId, verdict!, reason!, ActorOf(h))
            : await _deps.Store.GiveVerdictAsync(branchId, day, itemId, verdict!, reason!, ActorOf(h));
        return Answer(change);
    }

    /// <summary>One verdict for every undecided item of the sheet (<c>kind=finding|spot-check</c>: only those).</summary>
    private async Task<IResult> SheetVerdicts(HttpContext h, string branchId, string day)
    {
        if (await SheetRefusal(h, branchId, day) is { } refused) return refused;
        IResult? error = null;
        var kind = Problems.OneOf(h.Request, "kind", [SheetItem.Finding, SheetItem.SpotCheck], ref error);
        if (error is not null) return error;
        var (verdict, reason, bad) = await Problems.Verdict(h.Request, ItemVerdict.All);
        return bad ?? Answer(await _deps.Store.GiveVerdictsAsync(branchId, day, kind, verdict!, reason!, ActorOf(h)));
    }

    private async Task<IResult> SignSheet(HttpContext h, string branchId, string day)
    {
        if (await SheetRefusal(h, branchId, day) is { } refused) return refused;
        var (note, error) = await Problems.Reason(h.Request, required: false);
        return error ?? Answer(await _deps.Store.SignAsync(branchId, day, note, ActorOf(h)));
    }

    /// <summary>
    /// The sheets the caller's branch scope covers (<c>branch</c>: only that branch and those below it), from <c>from</c>
    /// (default: 31 days before today) to <c>to</c> (default: no end); <c>state</c>: unsigned, signed, escalated.
    /// </summary>
    private async Task<IResult> ListSheets(HttpContext h)
    {
        IResult? error = null;
        var state = Problems.OneOf(h.Request, "state", ["all", "unsigned", "signed", "escalated"], ref error) ?? "all";
        var branch = Problems.Text(h.Request, "branch", ref error);
        var from = Problems.Day(h.Request, "from", ref error);
        var to = Problems.Day(h.Request, "to", ref error);
        var limit = Problems.Int(h.Request, "limit", 1000, 1, 1000, ref error);
        var cursor = Cursor(h.Request, ref error);
        if (error is not null) return error;
        from ??= _time.Today(_deps.Clock.GetUtcNow()).AddDays(-31).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var scope = await ScopeOf(h);
        if (branch is not null)
        {
            if (await OutOfScope(h, branch) is { } outside) return outside;
            scope = BranchScope.Below(branch, await _deps.Store.BranchTreeAsync());
        }
        var sheets = (await _deps.Store.SheetsAsync(scope, from)).Where(s => (to is null || string.CompareOrdinal(s.Day, to) <= 0) && state switch
        {
            "unsigned" => s.SignedAt is null,
            "signed" => s.SignedAt is not null,
            "escalated" => s.SignedAt is null && s.Escalation > 0,
            _ => true,
        }).ToList();
        // Newest day first, branches in order: a cursor's sheet is passed when a later one comes (an older day, or a later branch that day).
        var (page, next, bad) = InMemoryPage(sheets, cursor, 2, (s, k) => string.CompareOrdinal(s.Day, k[0]) < 0 || (s.Day == k[0] && string.CompareOrdinal(s.BranchId, k[1]) > 0),
            s => [s.Day, s.BranchId], limit);
        if (bad is not null) return bad;
        PageHeaders(h, sheets.Count, next);
        var names = await _deps.Store.NamesAsync(page.Select(s => s.BranchId), [], []);
        return Results.Json(new { sheets = page.Select(s => s with { BranchName = names.Branch(s.BranchId) }), total = sheets.Count, next });
    }

    /// <summary>A day that is not a date, or a branch outside the caller's scope, refused before the store is asked.</summary>
    private async Task<IResult?> SheetRefusal(HttpContext h, string branchId, string day)
    {
        if (!IsDay(day)) return Problems.Bad("day", $"'{day}' is not a date as yyyy-MM-dd");
        return await OutOfScope(h, branchId);
    }

    private static bool IsDay(string text) => Problems.IsDay(text);

    private async Task<IResult> OneAlert(HttpContext h, string alertId)
    {
        if (await _deps.Store.AlertAsync(alertId) is not { } a) return Problems.NotFound($"no alert {alertId}");
        return await OutOfScope(h, a.Alert.BranchId) ?? Results.Json(await Named(a));
    }

    /// <summary>
    /// The branches a branch officer's key covers (its branch and every branch below it), or null for a key without
    /// a branch (head office's, and every analyst's and auditor's).
    /// </summary>
    private async Task<IReadOnlySet<string>?> ScopeOf(HttpContext h) =>
        h.Items[nameof(ApiKey.Branch)] is string scope ? BranchScope.Below(scope, await _deps.Store.BranchTreeAsync()) : null;

    /// <summary>Whether the caller's key is a branch officer's (scoped), so that what it touches must be looked up first.</summary>
    private static bool Scoped(HttpContext h) => h.Items[nameof(ApiKey.Branch)] is string;

    /// <summary>403 when <paramref name="branchId"/> is outside the caller's scope (an unknown branch is outside any scope).</summary>
    private async Task<IResult?> OutOfScope(HttpContext h, string? branchId)
    {
        if (await ScopeOf(h) is not { } scope || (branchId is not null && scope.Contains(branchId))) return null;
        return Problems.Forbidden($"the key of {ActorOf(h).Name} is for branch {h.Items[nameof(ApiKey.Branch)]} and the branches below it; {branchId ?? "this"} is not one of them");
    }

    private async Task<IResult> Transition(HttpContext h, string alertId, string to)
    {
        if (Scoped(h) && await _deps.Store.AlertAsync(alertId) is { } current && await OutOfScope(h, current.Alert.BranchId) is { } outside) return outside;
        var (reason, error) = await Problems.Reason(h.Request, required: to == AlertStates.Dismissed);
        if (error is not null) return error;
        var change = await _deps.Store.TransitionAsync(alertId, to, ActorOf(h), reason);
        return Answer(change);
    }

    private async Task<IResult> Reinstate(HttpContext h, string userId)
    {
        if (Scoped(h) && await _deps.Store.SuspensionOfAsync(userId) is { } suspended && await OutOfScope(h, suspended.BranchId) is { } outside) return outside;
        var (reason, error) = await Problems.Reason(h.Request, required: true);
        if (error is not null) return error;
        var change = await _deps.Store.ReinstateAsync(userId, ActorOf(h), reason!);
        if (change.Value is not { } command) return Answer(change);
        var sent = true;
        try
        {
            await _deps.Send(command);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            sent = false; // recorded unsent: the monitor sends it on its next start
        }
        return Results.Json(new { command, sent });
    }

    private async Task<IResult> Reopen(HttpContext h, string branchId)
    {
        if (await OutOfScope(h, branchId) is { } outside) return outside;
        var (reason, error) = await Problems.Reason(h.Request, required: true);
        if (error is not null) return error;
        var change = await _deps.Store.ReopenAsync(branchId, ActorOf(h), reason!);
        if (change.Value is not null) _deps.Reopen(branchId);
        return Answer(change);
    }

    /// <summary>The settings as they were always shown, their times in the bank's zone as every other answer.</summary>
    private System.Text.Json.JsonSerializerOptions ShownOptions => _shownOptions ??= new() { Converters = { _time.Converter } };

    private System.Text.Json.JsonSerializerOptions? _shownOptions;

    /// <summary>The settings in force as analysts see them: never the keys' hashes.</summary>
    private IResult ShownSettings()
    {
        var shown = _deps.Shown();
        var node = System.Text.Json.JsonSerializer.SerializeToNode(shown, shown.GetType(), ShownOptions);
        if (node?["api"] is System.Text.Json.Nodes.JsonObject api) api.Remove("keys");
        return Results.Json(node);
    }

    private async Task<IResult> VerifyAudit()
    {
        var v = await _deps.Store.VerifyAuditAsync();
        return v.Intact
            ? Results.Json(new { intact = true, rows = v.Rows, head = v.Head })
            : Results.Json(new { intact = false, rows = v.Rows, firstBroken = new { id = v.FirstBroken!.Id, reason = v.FirstBroken.Reason } });
    }

    private static IResult Answer<T>(Change<T> change) =>
        change.NotFound is { } missing ? Problems.NotFound(missing)
        : change.Conflict is { } conflict ? Problems.Conflict(conflict)
        : Results.Json(change.Value);
}
