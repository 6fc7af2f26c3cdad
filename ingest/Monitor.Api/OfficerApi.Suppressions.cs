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
        return error ?? Results.Json(new { suppressions = await _deps.Store.SuppressionsAsync(all == "true") });
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
