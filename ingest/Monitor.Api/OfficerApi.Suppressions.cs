using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The analysts' suppressions (docs/api.md): an analyst makes one with a reason and an expiry and may end it early;
/// analysts and auditors list them. Each change is in the audit log (the store writes it), and the running
/// detectors are told at once (<see cref="ApiDependencies.SuppressionsChanged"/>).
/// </summary>
public sealed partial class OfficerApi
{
    private void MapSuppressions()
    {
        Allow(_app.MapGet("/api/suppressions", (Func<HttpContext, Task<IResult>>)ListSuppressions), Tuning);
        Allow(_app.MapPost("/api/suppressions", (Func<HttpContext, Task<IResult>>)Suppress), Analysts);
        Allow(_app.MapGet("/api/suppressions/{id}", OneSuppression), Tuning);
        Allow(_app.MapPost("/api/suppressions/{id}/end", EndSuppression), Analysts);
    }

    /// <summary>Those in force, newest first; <c>all=true</c>: ended and expired ones too.</summary>
    private async Task<IResult> ListSuppressions(HttpContext h)
    {
        IResult? error = null;
        var all = Problems.OneOf(h.Request, "all", ["true", "false"], ref error);
        var limit = Problems.Int(h.Request, "limit", 1000, 1, 1000, ref error);
        var cursor = Cursor(h.Request, ref error);
        if (error is not null) return error;
        var list = await _deps.Store.SuppressionsAsync(all == "true");
        var (page, next, bad) = InMemoryPage(list, cursor, 1, (s, k) => long.TryParse(k[0], System.Globalization.CultureInfo.InvariantCulture, out var id) && s.Id < id,
            s => [s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], limit); // newest (highest id) first
        if (bad is not null) return bad;
        PageHeaders(h, list.Count, next);
        return Results.Json(new { suppressions = page, total = list.Count, next });
    }

    private async Task<IResult> Suppress(HttpContext h)
    {
        var (request, error) = await SuppressionRequest.ReadAsync(h.Request, _deps.Clock.GetUtcNow());
        if (error is not null) return error;
        var change = await _deps.Store.SuppressAsync(request!, ActorOf(h));
        if (change.Value is not { } made) return Answer(change);
        await _deps.SuppressionsChanged();
        return Results.Json(made, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> OneSuppression(string id) =>
        SuppressionId(id) is not { } n ? Problems.Bad("id", $"'{id}' is not a suppression id (a whole number)")
        : await _deps.Store.SuppressionAsync(n) is { } s ? Results.Json(s)
        : Problems.NotFound($"no suppression {id}");

    private async Task<IResult> EndSuppression(HttpContext h, string id)
    {
        if (SuppressionId(id) is not { } n) return Problems.Bad("id", $"'{id}' is not a suppression id (a whole number)");
        var (reason, error) = await Problems.Reason(h.Request, required: true);
        if (error is not null) return error;
        var change = await _deps.Store.EndSuppressionAsync(n, ActorOf(h), reason!);
        if (change.Value is not null) await _deps.SuppressionsChanged();
        return Answer(change);
    }

    private static long? SuppressionId(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
