using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The officers' console at <c>/</c> (docs/console.md): its files, needing no key, and the auditors' search and CSV
/// export of the audit log. The console's other questions are in <see cref="MapCasework"/>.
/// </summary>
public sealed partial class OfficerApi
{
    private void MapConsole()
    {
        _app.MapGet("/", (HttpContext h) => ConsoleAssets.Serve(h, "index.html"));
        _app.MapGet("/console/{**name}", (HttpContext h, string name) => ConsoleAssets.Serve(h, name));
        MapCasework();
        Allow(_app.MapGet("/api/audit/search", (Func<HttpContext, Task<IResult>>)SearchAudit), Auditors);
        Allow(_app.MapGet("/api/audit/export", (Func<HttpContext, Task<IResult>>)ExportAudit), Auditors);
    }

    /// <summary>A page of the audit log, newest first: <c>from</c>, <c>to</c>, <c>actor</c>, <c>action</c>, <c>target</c> (its start), <c>before</c> (a sequence number), <c>limit</c>.</summary>
    private async Task<IResult> SearchAudit(HttpContext h)
    {
        var (query, error) = AuditQueryOf(h.Request);
        if (error is not null) return error;
        var page = await _deps.Store.SearchAuditAsync(query!);
        return Results.Json(new { total = page.Total, entries = page.Entries, next = page.Entries.Count == query!.Limit ? page.Entries[^1].Seq : (long?)null });
    }

    /// <summary>Every row the filters match, oldest first, as CSV (<see cref="AuditCsv"/>); <c>413</c> when they match more than an export holds.</summary>
    private async Task<IResult> ExportAudit(HttpContext h)
    {
        var (query, error) = AuditQueryOf(h.Request);
        if (error is not null) return error;
        var rows = await _deps.Store.ExportAuditAsync(query!);
        if (rows.Count > AlertStore.AuditExportCap)
            return Results.Json(new { error = $"more than {AlertStore.AuditExportCap} rows match: narrow the time range (from, to) and export in parts" }, statusCode: 413);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(_deps.TimeZone());
        var stamp = TimeZoneInfo.ConvertTime(_deps.Clock.GetUtcNow(), zone).ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return Results.File(AuditCsv.Write(rows, zone), "text/csv; charset=utf-8", $"audit-{stamp}.csv");
    }

    private static (AuditQuery? Query, IResult? Error) AuditQueryOf(HttpRequest r)
    {
        IResult? error = null;
        var before = Problems.Int(r, "before", 0, 1, int.MaxValue, ref error);
        var query = new AuditQuery
        {
            From = Problems.Time(r, "from", ref error),
            To = Problems.Time(r, "to", ref error),
            Actor = Problems.Text(r, "actor", ref error),
            Action = Problems.Text(r, "action", ref error),
            Target = TargetStart(r, ref error),
            Before = r.Query.ContainsKey("before") ? before : null,
            Limit = Problems.Int(r, "limit", 100, 1, 1000, ref error),
        };
        return error is null ? (query, null) : (null, error);
    }

    /// <summary>The start of an audit target: ids, and the paths of sheets and suppressions (<c>SB0101/2026-03-02/</c>), up to 200 printable characters.</summary>
    private static string? TargetStart(HttpRequest r, ref IResult? error)
    {
        var v = r.Query["target"].ToString();
        if (v.Length == 0) return null;
        if (v.Length <= 200 && !v.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return v;
        error ??= Problems.Bad("target", $"'{v}' is not the start of a target (up to 200 characters, no spaces)");
        return null;
    }
}
