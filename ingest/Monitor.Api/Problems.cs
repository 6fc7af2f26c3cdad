using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Monitor.Api;

/// <summary>
/// Input checks that answer 400 with a message naming the field, so a caller (or a script) knows what to fix;
/// and the other error answers in the same shape.
/// </summary>
internal static class Problems
{
    public static IResult Bad(string field, string message) => Results.Json(new { error = $"{field}: {message}", field }, statusCode: 400);

    public static IResult NotFound(string message) => Results.Json(new { error = message }, statusCode: 404);

    public static IResult Conflict(string message) => Results.Json(new { error = message }, statusCode: 409);

    public static IResult Unauthorized() => Results.Json(new { error = "an API key is required (Authorization: Bearer <key>), and this one is not known" }, statusCode: 401);

    public static IResult Forbidden(string role, IEnumerable<string> allowed) =>
        Results.Json(new { error = $"role {role} may not do this; it needs {string.Join(" or ", allowed)}" }, statusCode: 403);

    /// <summary>A query parameter that must be one of <paramref name="allowed"/>, or absent.</summary>
    public static string? OneOf(HttpRequest r, string field, IReadOnlyList<string> allowed, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return null;
        if (allowed.Contains(v)) return v;
        error ??= Bad(field, $"'{v}' is not one of {string.Join("|", allowed)}");
        return null;
    }

    public static DateTimeOffset? Time(HttpRequest r, string field, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return null;
        if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && v.Contains('T')) return t;
        error ??= Bad(field, $"'{v}' is not an ISO-8601 time with offset (e.g. 2026-03-02T00:00:00+08:00)");
        return null;
    }

    public static int Int(HttpRequest r, string field, int fallback, int min, int max, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return fallback;
        if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        error ??= Bad(field, $"'{v}' is not a whole number from {min} to {max}");
        return fallback;
    }

    public static string? Text(HttpRequest r, string field, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return null;
        if (v.Length <= 64 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return v;
        error ??= Bad(field, $"'{v}' is not an id (letters, digits, - _ . up to 64)");
        return null;
    }

    /// <summary>The body's <c>reason</c>: a JSON object <c>{"reason": "..."}</c>; required or optional.</summary>
    public static async Task<(string? Reason, IResult? Error)> Reason(HttpRequest r, bool required)
    {
        string? reason = null;
        if (r.ContentLength is null or > 0)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(r.Body);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, Bad("body", "must be a JSON object such as {\"reason\": \"...\"}"));
                if (doc.RootElement.TryGetProperty("reason", out var p))
                {
                    if (p.ValueKind != JsonValueKind.String) return (null, Bad("reason", "must be a string"));
                    reason = p.GetString();
                }
            }
            catch (JsonException)
            {
                if (r.ContentLength is > 0 || required) return (null, Bad("body", "is not JSON; send {\"reason\": \"...\"}"));
            }
        }
        if (reason is { Length: > 2000 }) return (null, Bad("reason", "is longer than 2000 characters"));
        if (required && string.IsNullOrWhiteSpace(reason)) return (null, Bad("reason", "is required: say why, it goes into the audit log"));
        return (string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), null);
    }
}
