using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// Cases (docs/api.md, one cause, one case): the alerts one cause explains, worked as one. <c>GET /api/cases</c> lists the
/// cases of the alerts a filter selects, most serious first, each with its highest severity, a combined explanation and
/// its alerts; <c>GET /api/cases/{caseId}</c> shows one. A branch officer sees the cases of its branches' alerts only.
/// </summary>
public sealed partial class OfficerApi
{
    /// <summary>The most alerts one listing reads to build its cases.</summary>
    private const int CaseAlerts = 5000;

    private void MapCases()
    {
        Allow(_app.MapGet("/api/cases", (Func<HttpContext, Task<IResult>>)ListCases), Everyone);
        Allow(_app.MapGet("/api/cases/{caseId}", OneCase), Everyone);
    }

    /// <summary>
    /// Cases of the alerts matching <c>branch</c>, <c>user</c>, <c>state</c>, <c>from</c>, <c>to</c> (event time), whose
    /// highest severity is at least <c>severity</c>; <c>limit</c> cases (default 50), most serious first.
    /// </summary>
    private async Task<IResult> ListCases(HttpContext h)
    {
        IResult? error = null;
        var r = h.Request;
        var filter = new AlertFilter
        {
            Branch = Problems.Text(r, "branch", ref error),
            User = Problems.Text(r, "user", ref error),
            State = Problems.OneOf(r, "state", AlertStates.All, ref error),
            From = Problems.Time(r, "from", ref error),
            To = Problems.Time(r, "to", ref error),
            Limit = CaseAlerts,
        };
        var severity = Problems.OneOf(r, "severity", Severities, ref error);
        var limit = Problems.Int(r, "limit", 50, 1, 500, ref error);
        if (error is not null) return error;
        var alerts = await _deps.Store.AlertsAsync(filter with { Branches = await ScopeOf(h) });
        var atLeast = severity is null ? 0 : Severities.ToList().IndexOf(severity);
        var cases = CaseView.Of(alerts).Where(c => Severities.ToList().IndexOf(c.Severity) >= atLeast);
        return Results.Json(new { cases = cases.Take(limit) });
    }

    /// <summary>One case by its id (<c>branch:SB0203:2026-11-05</c>, <c>user:QO010104:2026-09-20</c>).</summary>
    private async Task<IResult> OneCase(HttpContext h, string caseId)
    {
        var parts = caseId.Split(':');
        if (parts.Length != 3 || !DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Problems.Bad("caseId", $"'{caseId}' is not a case id (kind:entity:yyyy-MM-dd, e.g. branch:SB0203:2026-11-05)");
        // A case's alerts are about its day: read the alerts whose first finding falls within a day either side of it.
        var from = new DateTimeOffset(day.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var filter = new AlertFilter
        {
            Branch = parts[0] == "branch" ? parts[1] : null,
            User = parts[0] == "user" ? parts[1] : null,
            From = from,
            To = from.AddDays(3),
            Limit = CaseAlerts,
        };
        var alerts = (await _deps.Store.AlertsAsync(filter with { Branches = await ScopeOf(h) }))
            .Where(a => string.Equals(a.Alert.CaseId, caseId, StringComparison.Ordinal));
        return CaseView.Of(alerts).FirstOrDefault(c => c.CaseId == caseId) is { } found ? Results.Json(found) : Problems.NotFound($"no case {caseId}");
    }
}
