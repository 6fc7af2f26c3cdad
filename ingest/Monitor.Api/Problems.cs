using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Monitor.Api;

/// <summary>
/// Input checks that answer 400 with a message naming the field, so a caller (or a script) knows what to fix;
/// and the other error answers in the same shape.
/// </summary>
internal static class Problems
{
    /// <summary>The largest request body the API reads: a reason of 2,000 characters fits many times over.</summary>
    public const long MaxBody = 64 * 1024;

    public static IResult Bad(string field, string message) => Results.Json(new { error = $"{field}: {message}", field }, statusCode: 400);

    public static IResult NotFound(string message) => Results.Json(new { error = message }, statusCode: 404);

    public static IResult Conflict(string message) => Results.Json(new { error = message }, statusCode: 409);

    /// <summary>A request the server could not read (Kestrel refused it): its status, in the API's error shape.</summary>
    public static IResult Unreadable(BadHttpRequestException e) => e.StatusCode == StatusCodes.Status413PayloadTooLarge
        ? Results.Json(new { error = $"body: larger than {MaxBody} bytes; send {{\"reason\": \"...\"}}", field = "body" }, statusCode: 413)
        : Results.Json(new { error = $"body: the request could not be read ({e.Message})", field = "body" }, statusCode: e.StatusCode);

    public static IResult Unauthorized() => Results.Json(new { error = "an API key is required (Authorization: Bearer <key>), and this one is not known" }, statusCode: 401);

    public static IResult Forbidden(string role, IEnumerable<string> allowed) =>
        Forbidden($"role {role} may not do this; it needs {string.Join(" or ", allowed)}");

    public static IResult Forbidden(string message) => Results.Json(new { error = message }, statusCode: 403);

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
        if (QueryTime.TryParse(v, out var t)) return t;
        error ??= Bad(field, $"'{v}' is not an ISO-8601 time with offset (e.g. 2026-03-02T00:00:00+08:00 or 2026-03-02T00:00:00Z)");
        return null;
    }

    public static int Int(HttpRequest r, string field, int fallback, int min, int max, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return fallback;
        if (int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        error ??= Bad(field, $"'{v}' is not a whole number from {min} to {max}");
        return fallback;
    }

    /// <summary>An optional query day as yyyy-MM-dd; a malformed one sets <paramref name="error"/> naming the field (the text is returned all the same).</summary>
    public static string? Day(HttpRequest r, string field, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return null;
        if (!IsDay(v)) error ??= Bad(field, $"'{v}' is not a date as yyyy-MM-dd");
        return v;
    }

    /// <summary>Whether <paramref name="text"/> is a day as yyyy-MM-dd.</summary>
    public static bool IsDay(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    public static string? Text(HttpRequest r, string field, ref IResult? error)
    {
        var v = r.Query[field].ToString();
        if (v.Length == 0) return null;
        if (v.Length <= 64 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return v;
        error ??= Bad(field, $"'{v}' is not an id (letters, digits, - _ . up to 64)");
        return null;
    }

    /// <summary>
    /// The body's <c>reason</c>: a JSON object <c>{"reason": "..."}</c>; required or optional. A body that is not
    /// UTF-8 JSON (in any of its fields, read or not), a reason that is not valid Unicode text, given twice, or
    /// holding control characters (other than line breaks and tabs) or bidirectional overrides is refused,
    /// naming the field when it can be known (the body when not).
    /// </summary>
    public static async Task<(string? Reason, IResult? Error)> Reason(HttpRequest r, bool required)
    {
        var (fields, error) = await Fields(r, ["reason"]);
        if (error is not null) return (null, error);
        var reason = fields.GetValueOrDefault("reason");
        if (required && string.IsNullOrWhiteSpace(reason)) return (null, Bad("reason", "is required: say why, it goes into the audit log"));
        return (string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), null);
    }

    /// <summary>
    /// The body <c>{"verdict": "...", "reason": "..."}</c> of a verdict on a daily sheet's item: the verdict one of
    /// <paramref name="allowed"/>, the reason required; read with the checks of <see cref="Reason"/>.
    /// </summary>
    public static async Task<(string? Verdict, string? Reason, IResult? Error)> Verdict(HttpRequest r, IReadOnlyList<string> allowed)
    {
        var (fields, error) = await Fields(r, ["verdict", "reason"]);
        if (error is not null) return (null, null, error);
        var verdict = fields.GetValueOrDefault("verdict");
        if (verdict is null) return (null, null, Bad("verdict", $"is required, one of {string.Join("|", allowed)}"));
        if (!allowed.Contains(verdict)) return (null, null, Bad("verdict", $"'{verdict}' is not one of {string.Join("|", allowed)}"));
        var reason = fields.GetValueOrDefault("reason");
        if (string.IsNullOrWhiteSpace(reason)) return (null, null, Bad("reason", "is required: say why, it goes into the audit log and the sheet"));
        return (verdict, reason.Trim(), null);
    }

    /// <summary>
    /// The string fields <paramref name="names"/> of a JSON object body (others are ignored). A body that is not
    /// UTF-8 JSON (in any of its fields, read or not), a field that is not valid Unicode text, given twice, not a
    /// string, longer than 2,000 characters or holding control characters (other than line breaks and tabs) or
    /// bidirectional overrides is refused, naming the field when it can be known (the body when not).
    /// </summary>
    internal static async Task<(Dictionary<string, string> Fields, IResult? Error)> Fields(HttpRequest r, IReadOnlyList<string> names)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        await r.Body.CopyToAsync(buffer);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Length == 0) return (fields, null);
        var example = "{" + string.Join(", ", names.Select(n => $"\"{n}\": \"...\"")) + "}";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return (fields, Utf8.IsValid(bytes.Span)
                ? Bad("body", $"is not JSON; send {example}")
                : Bad("body", $"is not valid UTF-8; send UTF-8 JSON such as {example}"));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (fields, Bad("body", $"must be a JSON object such as {example}"));
            var utf8 = Utf8.IsValid(bytes.Span);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                string name;
                try
                {
                    name = p.Name;
                    if (!utf8 || names.Contains(name)) _ = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
                }
                catch (InvalidOperationException) // invalid UTF-8, or an escaped lone surrogate
                {
                    return (fields, TryName(p) is { } field ? Bad(field, "is not valid Unicode text (invalid UTF-8 or a lone surrogate)") : Bad("body", "has a property name that is not valid Unicode text"));
                }
                if (!names.Contains(name)) continue;
                if (fields.ContainsKey(name)) return (fields, Bad(name, "is given twice; give it once"));
                if (p.Value.ValueKind != JsonValueKind.String) return (fields, Bad(name, "must be a string"));
                var value = p.Value.GetString()!;
                if (value.Length > 2000) return (fields, Bad(name, "is longer than 2000 characters"));
                if (value.Any(Unprintable)) return (fields, Bad(name, "holds control characters or bidirectional overrides; write plain text"));
                fields[name] = value;
            }
        }
        return (fields, null);
    }

    private static string? TryName(JsonProperty p)
    {
        try
        {
            return p.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Characters a reason may not hold: control characters but line breaks and tabs, and the bidirectional overrides and isolates.</summary>
    private static bool Unprintable(char c) =>
        (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
