using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// What the officers' console asks beyond the alerts themselves (docs/api.md, "The console's endpoints"): who the key
/// is, the queue of cases (<see cref="AlertCases"/>), an alert's case with its notes, assignments and evidence
/// events, notes and assignments, a user's daily reads against the usual level, and the alerts per rule per day.
/// Every branch officer's key keeps its scope here as everywhere.
/// </summary>
public sealed partial class OfficerApi
{
    private void MapCasework()
    {
        Allow(_app.MapGet("/api/me", (Func<HttpContext, IResult>)Me), Everyone);
        Allow(_app.MapGet("/api/officers", (Func<IResult>)ListOfficers), Everyone);
        Allow(_app.MapGet("/api/cases", (Func<HttpContext, Task<IResult>>)Cases), Everyone);
        Allow(_app.MapGet("/api/alerts/{alertId}/case", CaseOf), Everyone);
        Allow(_app.MapGet("/api/cases/{caseId}", OneCase), Everyone);
        Allow(_app.MapPost("/api/alerts/{alertId}/notes", AddNote), Officers);
        Allow(_app.MapPost("/api/alerts/{alertId}/assign", Assign), Officers);
        Allow(_app.MapGet("/api/users/{userId}/days", UserDays), Everyone);
        Allow(_app.MapGet("/api/stats/rules", (Func<HttpContext, Task<IResult>>)RuleDays), Tuning);
    }

    private IResult Me(HttpContext h)
    {
        var actor = ActorOf(h);
        return Results.Json(new { name = actor.Name, role = actor.Role, branch = h.Items[nameof(ApiKey.Branch)] as string, timeZone = _deps.TimeZone(), mayAct = actor.Role == ApiKeys.Officer });
    }

    /// <summary>The officers an alert can be given to: the names of the officers' keys, and the branch each covers (null: every branch).</summary>
    private IResult ListOfficers() =>
        Results.Json(new { officers = _deps.Access().Keys.Where(k => k.Role == ApiKeys.Officer).Select(k => new { name = k.Name, branch = k.Branch }).OrderBy(k => k.name, StringComparer.Ordinal) });

    /// <summary>
    /// The queue: the alerts the filters match grouped into cases, sorted and cut into pages. <c>branch</c> means that
    /// branch and those below it; <c>age</c> one of <see cref="CaseQueue.Ages"/>; <c>sort</c> one of <see cref="CaseQueue.Sorts"/>.
    /// </summary>
    private async Task<IResult> Cases(HttpContext h)
    {
        IResult? error = null;
        var r = h.Request;
        var branch = Problems.Text(r, "branch", ref error);
        var age = Problems.OneOf(r, "age", CaseQueue.Ages, ref error);
        var sort = Problems.OneOf(r, "sort", CaseQueue.Sorts, ref error) ?? "severity";
        var page = Problems.Int(r, "page", 1, 1, 100_000, ref error);
        var size = Problems.Int(r, "pageSize", 25, 1, 200, ref error);
        var (from, to) = CaseQueue.AgeRange(age, _deps.Clock.GetUtcNow());
        var filter = new AlertFilter
        {
            Rule = Problems.OneOf(r, "rule", RuleIds.All, ref error),
            User = Problems.Text(r, "user", ref error),
            State = Problems.OneOf(r, "state", AlertStates.All, ref error),
            Severity = Problems.OneOf(r, "severity", Severities, ref error),
            From = from,
            To = to,
        };
        if (error is not null) return error;
        var scope = await ScopeOf(h);
        if (branch is not null)
        {
            if (await OutOfScope(h, branch) is { } outside) return outside;
            scope = BranchScope.Below(branch, await _deps.Store.BranchTreeAsync());
        }
        var (alerts, truncated) = await _deps.Store.QueueAlertsAsync(filter with { Branches = scope });
        var branchDays = await _deps.Store.BranchAlertDaysAsync([.. alerts.Select(a => a.Alert.Day).Distinct(StringComparer.Ordinal)]);
        var cases = AlertCases.Group(alerts, branchDays);
        var (shown, total) = CaseQueue.Page(cases, sort, page, size);
        var assignments = await _deps.Store.AssignmentsAsync([.. shown.SelectMany(c => c.Alerts).Select(a => a.Alert.AlertId)]);
        var names = await NamesOf(shown.SelectMany(c => c.Alerts), shown.Select(c => c.BranchId), shown.SelectMany(c => c.Users));
        return Results.Json(new { total, alerts = alerts.Count, truncated, page, pageSize = size, cases = shown.Select(c => CaseQueue.Row(c, assignments, names)) });
    }

    /// <summary>An alert's case: its alerts (whatever their state), notes, assignments, and the evidence events still held in memory, in the contract's shape.</summary>
    private async Task<IResult> CaseOf(HttpContext h, string alertId)
    {
        if (await _deps.Store.AlertAsync(alertId) is not { } a) return Problems.NotFound($"no alert {alertId}");
        if (await OutOfScope(h, a.Alert.BranchId) is { } outside) return outside;
        return await CaseAnswer(await CaseAround(h, a), a.Alert.UserId);
    }

    /// <summary>
    /// A case by its id, <c>branch:SB0203:2026-11-05</c> or <c>user:QO010104:2026-09-20</c> (the alerts' <c>caseId</c>, the
    /// queue's rows): the same answer as an alert's case.
    /// </summary>
    private async Task<IResult> OneCase(HttpContext h, string caseId)
    {
        var parts = caseId.Split(':');
        if (parts.Length != 3 || parts[0] is not (AlertCases.BranchKind or AlertCases.UserKind) || parts[1].Length == 0
            || !DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            return Problems.Bad("caseId", $"'{caseId}' is not a case id (branch:BRANCH:yyyy-MM-dd or user:USER:yyyy-MM-dd, e.g. branch:SB0203:2026-11-05)");
        var branch = parts[0] == AlertCases.BranchKind ? parts[1] : null;
        if (branch is not null && await OutOfScope(h, branch) is { } outside) return outside;
        var (day, branchDays) = await DayAround(h, parts[2], branch, branch is null ? parts[1] : null);
        var found = AlertCases.Group(day, branchDays).FirstOrDefault(c => c.CaseId == caseId);
        return found is null ? Problems.NotFound($"no case {caseId}") : await CaseAnswer(found, branch is null ? parts[1] : null);
    }

    private async Task<IResult> CaseAnswer(AlertCase found, string? userId)
    {
        var ids = found.Alerts.Select(x => x.Alert.AlertId).ToList();
        var assignments = await _deps.Store.AssignmentsAsync(ids);
        var evidence = found.Users.Append(userId).OfType<string>().Distinct(StringComparer.Ordinal)
            .SelectMany(_deps.Events.Of).Where(e => found.Alerts.Any(x => x.Alert.Evidence.Contains(e.EventId)))
            .DistinctBy(e => e.EventId).OrderBy(e => e.OccurredAt).Select(e => JsonNode.Parse(EventJson.Serialize(e)));
        var explanations = found.Explanations;
        var names = await NamesOf(found.Alerts, [found.BranchId], found.Users.Append(found.UserId));
        return Results.Json(new
        {
            caseId = found.CaseId,
            kind = found.Kind,
            branchId = found.BranchId,
            branchName = names.Branch(found.BranchId),
            userId = found.UserId,
            userName = names.User(found.UserId),
            day = found.Day,
            severity = found.Severity,
            score = found.Score,
            explanation = explanations.En,
            explanations,
            users = found.Users,
            userNames = NamedOnly(found.Users, names.User),
            alerts = found.Alerts.Select(a => a.Named(names)),
            notes = await _deps.Store.NotesAsync(ids),
            assignments = assignments.Values,
            assignedTo = CaseQueue.AssigneeOf(found, assignments),
            evidence,
        });
    }

    /// <summary>The case of <paramref name="a"/> among the alerts of its day at its branch or about its user (those the caller's scope covers).</summary>
    private async Task<AlertCase> CaseAround(HttpContext h, StoredAlert a)
    {
        var (day, branchDays) = await DayAround(h, a.Alert.Day, a.Alert.BranchId, a.Alert.UserId);
        return AlertCases.Containing(a.Alert.AlertId, day, branchDays) ?? AlertCase.Of(AlertCases.KeyOf(a.Alert, branchDays), [a]);
    }

    /// <summary>The alerts of local <paramref name="day"/> at a branch or about a user that the caller's scope covers, and the day's branch-days: where a case's alerts are.</summary>
    private async Task<(IEnumerable<StoredAlert> Alerts, IReadOnlySet<(string BranchId, string Day)> BranchDays)> DayAround(HttpContext h, string day, string? branchId, string? userId)
    {
        var scope = await ScopeOf(h);
        var alerts = (await _deps.Store.AlertsOfDayAsync(day, branchId, userId))
            .Where(x => scope is null || (x.Alert.BranchId is { } b && scope.Contains(b)));
        return (alerts, await _deps.Store.BranchAlertDaysAsync([day]));
    }

    private async Task<IResult> AddNote(HttpContext h, string alertId)
    {
        if (Scoped(h) && await _deps.Store.AlertAsync(alertId) is { } current && await OutOfScope(h, current.Alert.BranchId) is { } outside) return outside;
        var (fields, error) = await Problems.Fields(h.Request, ["text"]);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(fields.GetValueOrDefault("text"))) return Problems.Bad("text", "is required: what was checked, who was asked, what was found");
        return Answer(await _deps.Store.AddNoteAsync(alertId, fields["text"].Trim(), ActorOf(h)));
    }

    /// <summary>
    /// Gives the alert (with <c>case=true</c>, every alert of its case) to an officer whose key covers the alert's branch;
    /// body <c>{"officer": "name", "reason": "..."}</c>, the reason optional.
    /// </summary>
    private async Task<IResult> Assign(HttpContext h, string alertId)
    {
        IResult? error = null;
        var whole = Problems.OneOf(h.Request, "case", ["true", "false"], ref error) == "true";
        if (error is not null) return error;
        if (await _deps.Store.AlertAsync(alertId) is not { } a) return Problems.NotFound($"no alert {alertId}");
        if (await OutOfScope(h, a.Alert.BranchId) is { } outside) return outside;
        var (fields, bad) = await Problems.Fields(h.Request, ["officer", "reason"]);
        if (bad is not null) return bad;
        var name = fields.GetValueOrDefault("officer");
        if (string.IsNullOrWhiteSpace(name)) return Problems.Bad("officer", "is required: the name of an officer's key (GET /api/officers)");
        var officer = _deps.Access().Keys.FirstOrDefault(k => k.Role == ApiKeys.Officer && k.Name == name);
        if (officer is null) return Problems.Bad("officer", $"'{name}' is not the name of an officer's key (GET /api/officers)");
        var alerts = whole ? (await CaseAround(h, a)).Alerts : [a];
        if (officer.Branch is { } covered)
        {
            var below = BranchScope.Below(covered, await _deps.Store.BranchTreeAsync());
            if (alerts.FirstOrDefault(x => x.Alert.BranchId is not { } b || !below.Contains(b)) is { } outsideOfficer)
                return Problems.Bad("officer", $"{name} is an officer of branch {covered} and those below it; alert {outsideOfficer.Alert.AlertId} is at {outsideOfficer.Alert.BranchId ?? "no branch"}");
        }
        var reason = fields.GetValueOrDefault("reason");
        var change = await _deps.Store.AssignAsync([.. alerts.Select(x => x.Alert.AlertId)], name, ActorOf(h), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        return change.Value is { } done ? Results.Json(new { assignments = done }) : Answer(change);
    }

    /// <summary>The user's reads per closed day (at the caller's branches) with the usual level (<see cref="DailyReads"/>).</summary>
    private async Task<IResult> UserDays(HttpContext h, string userId)
    {
        var scope = await ScopeOf(h);
        var days = (await _deps.Store.UserReadsAsync(userId)).Where(d => scope is null || scope.Contains(d.BranchId));
        return Results.Json(new { userId, window = DailyReads.Window, days = DailyReads.Of(days).Select(p => new { day = p.Day, reads = p.Reads, usual = p.Usual }) });
    }

    /// <summary>Alerts per rule per local day, <c>from</c>/<c>to</c> as yyyy-MM-dd (inclusive; default: the last 31 days).</summary>
    private async Task<IResult> RuleDays(HttpContext h)
    {
        IResult? error = null;
        var from = Problems.Day(h.Request, "from", ref error);
        var to = Problems.Day(h.Request, "to", ref error);
        if (error is not null) return error;
        from ??= DateOnly.FromDateTime(_deps.Clock.GetUtcNow().UtcDateTime).AddDays(-31).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(new { from, to, days = await _deps.Store.RuleDaysAsync(from, to, await ScopeOf(h)) });
    }
}
