using Microsoft.AspNetCore.Http;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The lists of the API, paged (docs/api.md, "Paging"): each answers one page, newest or oldest first as documented,
/// with how many items its filter matches in <c>X-Total-Count</c> and, when there is more, the next page's cursor in
/// <c>X-Next-Cursor</c> and its address in <c>Link: &lt;…&gt;; rel="next"</c>. The bodies keep their shape (a JSON array, or
/// the object they always were, which also gets <c>total</c> and <c>next</c>), so callers that read one page as before
/// read the same. Also the user's timeline, whose events come in the contract's shape.
/// </summary>
public sealed partial class OfficerApi
{
    private async Task<IResult> ListAlerts(HttpContext h)
    {
        IResult? error = null;
        var r = h.Request;
        var filter = new AlertFilter
        {
            Rule = Problems.OneOf(r, "rule", RuleIds.All, ref error),
            Branch = Problems.Text(r, "branch", ref error),
            User = Problems.Text(r, "user", ref error),
            EntityType = Problems.OneOf(r, "entityType", EntityTypeNames.All, ref error),
            EntityId = EntityId(r, ref error),
            State = Problems.OneOf(r, "state", AlertStates.All, ref error),
            Severity = Problems.OneOf(r, "severity", Severities, ref error),
            From = Problems.Time(r, "from", ref error),
            To = Problems.Time(r, "to", ref error),
            Limit = Problems.Int(r, "limit", 100, 1, 1000, ref error),
            Cursor = Cursor(r, ref error),
        };
        if (error is not null) return error;
        return await Paged(h, async () =>
        {
            var page = await _deps.Store.AlertsPageAsync(filter with { Branches = await ScopeOf(h) });
            return page with { Items = await Named(page.Items) };
        });
    }

    private async Task<IResult> ListSuspensions(HttpContext h)
    {
        IResult? error = null;
        var state = Problems.OneOf(h.Request, "state", ["active", "ended", "all"], ref error) ?? "active";
        var branch = Problems.Text(h.Request, "branch", ref error);
        var limit = Problems.Int(h.Request, "limit", 1000, 1, 1000, ref error);
        var cursor = Cursor(h.Request, ref error);
        if (error is not null) return error;
        var scope = await ScopeOf(h);
        return await Paged(h, async () =>
        {
            var page = await _deps.Store.SuspensionsPageAsync(state == "all" ? null : state == "active", branch, scope, limit, cursor);
            var names = await _deps.Store.NamesAsync(page.Items.Select(s => s.BranchId), page.Items.Select(s => s.UserId), []);
            return page with { Items = [.. page.Items.Select(s => s.Named(names))] };
        });
    }

    private async Task<IResult> Labels(HttpContext h)
    {
        IResult? error = null;
        var rule = Problems.OneOf(h.Request, "rule", RuleIds.All, ref error);
        var limit = Problems.Int(h.Request, "limit", 1000, 1, 10000, ref error);
        var cursor = Cursor(h.Request, ref error);
        return error ?? await Paged(h, () => _deps.Store.LabelsPageAsync(rule, limit, cursor));
    }

    /// <summary>The audit log from sequence number <c>after</c> (or <c>cursor</c>, the same number as the next page's cursor), oldest first.</summary>
    private async Task<IResult> Audit(HttpContext h)
    {
        IResult? error = null;
        var after = Problems.Int(h.Request, "after", 0, 0, int.MaxValue, ref error);
        if (h.Request.Query["cursor"].ToString() is { Length: > 0 } c)
        {
            if (long.TryParse(c, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq)) after = (int)Math.Min(seq, int.MaxValue);
            else error ??= Problems.Bad("cursor", $"'{c}' is not a cursor of the audit log (the X-Next-Cursor of the previous page)");
        }
        var limit = Problems.Int(h.Request, "limit", 1000, 1, 10000, ref error);
        return error ?? await Paged(h, () => _deps.Store.AuditPageAsync(after, limit));
    }

    /// <summary>A user's timeline; a branch officer sees only what happened in branches of its scope. Events as in the contract, in the bank's zone.</summary>
    private async Task<IResult> Timeline(HttpContext h, string userId)
    {
        var scope = await ScopeOf(h);
        bool In(string? branch) => scope is null || (branch is not null && scope.Contains(branch));
        var suspension = await _deps.Store.SuspensionOfAsync(userId);
        var alerts = await _deps.Store.AlertsAsync(new AlertFilter { User = userId, Limit = 200, Branches = scope });
        var names = await NamesOf(alerts, [suspension?.BranchId], [userId]);
        return Results.Json(new
        {
            userId,
            userName = names.User(userId),
            events = _deps.Events.Of(userId).Where(e => In(e.BranchId)).Select(_time.Event),
            alerts = alerts.Select(a => a.Named(names)),
            commands = (await _deps.Store.CommandsAsync(userId)).Where(c => In(c.Command.BranchId)),
            suspension = suspension is not null && In(suspension.BranchId) ? suspension.Named(names) : null,
        });
    }

    /// <summary>One page as a JSON array, its total and next cursor in headers; a cursor the store does not know is a 400 naming <c>cursor</c>.</summary>
    private static async Task<IResult> Paged<T>(HttpContext h, Func<Task<Page<T>>> read)
    {
        Page<T> page;
        try
        {
            page = await read();
        }
        catch (BadCursorException e)
        {
            return Problems.Bad("cursor", $"{e.Message}; pass back the X-Next-Cursor of the previous page, with the same filters");
        }
        PageHeaders(h, page.Total, page.Next);
        return Results.Json(page.Items);
    }

    /// <summary>Sets <c>X-Total-Count</c>, and with a next page <c>X-Next-Cursor</c> and <c>Link</c>.</summary>
    private static void PageHeaders(HttpContext h, long total, string? next)
    {
        h.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (next is null) return;
        h.Response.Headers["X-Next-Cursor"] = next;
        var query = h.Request.Query.Where(q => q.Key is not ("cursor" or "after")).SelectMany(q => q.Value.Select(v => (q.Key, Value: v ?? "")))
            .Append(("cursor", next)).Select(q => $"{Uri.EscapeDataString(q.Item1)}={Uri.EscapeDataString(q.Item2)}");
        h.Response.Headers.Link = $"<{h.Request.PathBase}{h.Request.Path}?{string.Join("&", query)}>; rel=\"next\"";
    }

    /// <summary>
    /// One page of a list the API filters itself (<paramref name="ordered"/>, in its answer's order): the items after the
    /// cursor's keys (<paramref name="after"/> says whether an item comes after them), at most <paramref name="limit"/>.
    /// </summary>
    private static (List<T> Items, string? Next, IResult? Error) InMemoryPage<T>(IReadOnlyList<T> ordered, string? cursor, int keys, Func<T, string[], bool> after,
        Func<T, string[]> keysOf, int limit)
    {
        var from = 0;
        if (cursor is not null)
        {
            if (PageCursor.Keys(cursor, keys) is not { } k) return ([], null, Problems.Bad("cursor", "not a cursor of this listing; pass back the X-Next-Cursor of the previous page, with the same filters"));
            while (from < ordered.Count && !after(ordered[from], k)) from++;
        }
        var items = ordered.Skip(from).Take(limit).ToList();
        var next = from + limit < ordered.Count && items.Count > 0 ? PageCursor.Of(keysOf(items[^1])) : null;
        return (items, next, null);
    }

    private static string? Cursor(HttpRequest r, ref IResult? error)
    {
        var v = r.Query["cursor"].ToString();
        if (v.Length == 0) return null;
        if (v.Length <= 2048 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return v;
        error ??= Problems.Bad("cursor", $"'{(v.Length > 40 ? v[..40] + "…" : v)}' is not a cursor (the X-Next-Cursor of the previous page)");
        return null;
    }

    /// <summary>An alert's entity id as the alerts name it: up to 128 characters, no spaces (subject ids are pseudonyms of any shape).</summary>
    private static string? EntityId(HttpRequest r, ref IResult? error)
    {
        var v = r.Query["entityId"].ToString();
        if (v.Length == 0) return null;
        if (v.Length <= 128 && !v.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return v;
        error ??= Problems.Bad("entityId", "is not an id (up to 128 characters, no spaces)");
        return null;
    }
}
