using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Contracts;

[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(WireEvent))]
internal sealed partial class EventJsonContext : JsonSerializerContext;

/// <summary>
/// Reads and writes events in the documented contract. Reading is strict: the first problem found is
/// returned as a reason that names the field, and the caller sends the original bytes to the dead-letter topic.
/// </summary>
public static class EventJson
{
    // Relaxed escaping writes '+' and Chinese text as themselves; the output is still strict JSON.
    private static readonly EventJsonContext Ctx = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // "last one wins" would let a second userId hide behind the first one a reviewer reads.
        AllowDuplicateProperties = false,
    });

    /// <summary>Default upper bound of one message; larger ones are dead-lettered unread.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    /// <summary>Parses and validates one event; on failure <paramref name="reason"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out QueryLogEvent? evt, out string? reason, int maxBytes = DefaultMaxBytes)
    {
        evt = null;
        if (utf8.Length > maxBytes)
        {
            reason = Oversized(utf8.Length, maxBytes);
            return false;
        }
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            reason = $"invalid UTF-8: byte {FirstInvalidUtf8(utf8)} is not valid UTF-8";
            return false;
        }
        try
        {
            return Validate(JsonSerializer.Deserialize(utf8, Ctx.WireEvent), out evt, out reason);
        }
        catch (JsonException e)
        {
            reason = Describe(e);
            return false;
        }
    }

    /// <summary>
    /// Parses a UTF-16 string without first copying it to UTF-8 (for callers that hold text, such as tests).
    /// Replay files are read as bytes and go through the UTF-8 overload, as Kafka messages do; a string can still
    /// hold a lone surrogate, which is refused here as invalid UTF-8 would be there.
    /// </summary>
    public static bool TryParse(string line, out QueryLogEvent? evt, out string? reason, int maxBytes = DefaultMaxBytes)
    {
        evt = null;
        if (line.Length > maxBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(line) is var bytes && bytes > maxBytes)
        {
            reason = Oversized(bytes, maxBytes);
            return false;
        }
        if (LoneSurrogate(line) is >= 0 and var at)
        {
            reason = $"invalid UTF-8: character {at} is a lone surrogate";
            return false;
        }
        try
        {
            return Validate(JsonSerializer.Deserialize(line, Ctx.WireEvent), out evt, out reason);
        }
        catch (JsonException e)
        {
            reason = Describe(e);
            return false;
        }
    }

    private static bool Validate(WireEvent? wire, out QueryLogEvent? evt, out string? reason)
    {
        if (wire is not null) return EventValidator.TryValidate(wire, out evt, out reason);
        evt = null;
        reason = "not an event: the message is JSON null";
        return false;
    }

    private static int LoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else return i;
        }
        return -1;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var at = 0;
        while (at < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[at..], out _, out var used) != System.Buffers.OperationStatus.Done) return at;
            at += used;
        }
        return at;
    }

    /// <summary>The dead-letter reason of a message of <paramref name="bytes"/> over the limit (replay states a long line's whole length).</summary>
    public static string Oversized(long bytes, int maxBytes) => $"oversized: {bytes} bytes, limit {maxBytes}";

    /// <summary>Writes an event as one line of the contract.</summary>
    public static string Serialize(QueryLogEvent e) => JsonSerializer.Serialize(ToWire(e), Ctx.WireEvent);

    /// <summary>Writes an event as UTF-8 bytes of the contract.</summary>
    public static byte[] SerializeToUtf8(QueryLogEvent e) => JsonSerializer.SerializeToUtf8Bytes(ToWire(e), Ctx.WireEvent);

    /// <summary>The contract's timestamp form: milliseconds and an explicit offset.</summary>
    public static string FormatTime(DateTimeOffset t) => t.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static WireEvent ToWire(QueryLogEvent e) => new()
    {
        EventId = e.EventId,
        Type = WireNames.Of(e.Type),
        OccurredAt = FormatTime(e.OccurredAt),
        UserId = e.Type == EventType.Employee ? null : e.UserId,
        EmployeeId = e.EmployeeId,
        UserRole = e.UserRole is { } r ? WireNames.Of(r) : null,
        BranchId = e.BranchId,
        ParentBranchId = e.ParentBranchId,
        TerminalId = e.TerminalId,
        Ip = e.Ip,
        Channel = e.Channel is { } c ? WireNames.Of(c) : null,
        SubjectId = e.SubjectId,
        SubjectType = e.SubjectType is { } s ? WireNames.Of(s) : null,
        Purpose = e.Purpose is { } p ? WireNames.Of(p) : null,
        AuthorizationId = e.AuthorizationId,
        AuthorizedAt = e.AuthorizedAt is { } a ? FormatTime(a) : null,
        Outcome = e.Outcome is { } o ? WireNames.Of(o) : null,
        Action = e.Action is { } act ? WireNames.Of(act) : e.StaffAction is { } staff ? WireNames.Of(staff) : null,
        ActorUserId = e.ActorUserId,
        RegisterId = e.RegisterId,
        ApprovedBy = e.ApprovedBy,
        ApprovedAt = e.ApprovedAt is { } ap ? FormatTime(ap) : null,
        EffectiveAt = e.EffectiveAt is { } ef ? FormatTime(ef) : null,
    };

    private static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 2 } p ? p[2..] : null;
        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("propert", StringComparison.OrdinalIgnoreCase))
            return $"duplicate field: {path ?? ExtractQuoted(e.Message) ?? "?"} appears twice; which one is meant cannot be told";
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return $"unknown field: {ExtractQuoted(e.Message) ?? path ?? "?"} is not part of the contract";
        if (path is not null && e.Message.Contains("could not be converted", StringComparison.Ordinal))
            return $"wrong type: field '{path}' must be a string";
        return e.Message.Contains("invalid start of a value", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("invalid JSON literal", StringComparison.OrdinalIgnoreCase) || (e.LineNumber == 0 && e.BytePositionInLine <= 1)
            ? "not JSON: " + FirstSentence(e.Message)
            : "malformed JSON: " + FirstSentence(e.Message);
    }

    private static string? ExtractQuoted(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? $"'{message[(start + 1)..end]}'" : null;
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
