using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// A notice as each kind of receiver takes it (docs/notifications.md): plain JSON with everything in both languages and
/// the object it is about; a WeCom group robot's <c>markdown</c> or <c>text</c> message; a DingTalk group robot's
/// <c>markdown</c> or <c>text</c> message, its address signed when the robot has a secret; an email's subject and text.
/// Pure: the same notice, channel and time give the same bytes.
/// </summary>
public static class MessageFormats
{
    /// <summary>WeCom takes markdown up to 4,096 bytes and text up to 2,048; longer messages are cut, with "…".</summary>
    public const int WeComMarkdownBytes = 4096;
    public const int WeComTextBytes = 2048;

    /// <summary>DingTalk's messages are kept under 20,000 bytes.</summary>
    public const int DingTalkBytes = 20000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The request body for an HTTP channel.</summary>
    public static string Body(Notice n, NotificationChannel c) => c.Type switch
    {
        NotificationChannel.WeCom => c.Format == "text"
            ? Serialize(new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = Cut(Plain(n, c.Language), WeComTextBytes), ["mentioned_mobile_list"] = Array(c.Mention) } })
            : Serialize(new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = Cut(Markdown(n, c.Language), WeComMarkdownBytes) } }),
        NotificationChannel.DingTalk => c.Format == "text"
            ? Serialize(new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = Cut(Plain(n, c.Language), DingTalkBytes) }, ["at"] = At(c) })
            : Serialize(new JsonObject
            {
                ["msgtype"] = "markdown",
                ["markdown"] = new JsonObject { ["title"] = Title(n, c.Language), ["text"] = Cut(Markdown(n, c.Language) + Mentions(c), DingTalkBytes) },
                ["at"] = At(c),
            }),
        _ => PlainJson(n),
    };

    /// <summary>Where an HTTP channel's request goes: its address, with DingTalk's <c>timestamp</c> and <c>sign</c> when it has a secret.</summary>
    public static Uri Address(NotificationChannel c, DateTimeOffset now)
    {
        var url = c.Url ?? throw new InvalidOperationException("an HTTP channel without an address");
        if (c.Type != NotificationChannel.DingTalk || string.IsNullOrEmpty(c.Secret)) return new Uri(url);
        var timestamp = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Uri($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}timestamp={timestamp}&sign={Uri.EscapeDataString(DingTalkSign(timestamp, c.Secret))}");
    }

    /// <summary>DingTalk's signature: HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, in base64.</summary>
    public static string DingTalkSign(string timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));

    /// <summary>An email's subject and plain text.</summary>
    public static (string Subject, string Text) Email(Notice n, NotificationChannel c) => (Title(n, c.Language), Plain(n, c.Language));

    /// <summary>The notice as Markdown (a heading, the facts, the text, the numbered items, the link).</summary>
    public static string Markdown(Notice n, string language) => Both(language, lang =>
    {
        var sb = new StringBuilder();
        sb.Append("### ").Append(n.Title.In(lang)).Append('\n');
        foreach (var (name, value) in n.Facts) sb.Append("> **").Append(name.In(lang)).Append(Colon(lang)).Append("** ").Append(value.In(lang)).Append('\n');
        if (n.Text is { } text) sb.Append('\n').Append(text.In(lang)).Append('\n');
        for (var i = 0; i < n.Items.Count; i++) sb.Append(i == 0 ? "\n" : "").Append(i + 1).Append(". ").Append(n.Items[i].In(lang)).Append('\n');
        if (n.Link is { } link) sb.Append("\n[").Append(Locales.IsEnglish(lang) ? "Open the console" : "打开控制台").Append("](").Append(link).Append(")\n");
        return sb.ToString().TrimEnd('\n');
    }, "\n\n---\n\n");

    /// <summary>The notice as plain text, the same parts as <see cref="Markdown"/> without markup.</summary>
    public static string Plain(Notice n, string language) => Both(language, lang =>
    {
        var sb = new StringBuilder();
        sb.Append(n.Title.In(lang)).Append('\n');
        foreach (var (name, value) in n.Facts) sb.Append(name.In(lang)).Append(Colon(lang)).Append(value.In(lang)).Append('\n');
        if (n.Text is { } text) sb.Append('\n').Append(text.In(lang)).Append('\n');
        for (var i = 0; i < n.Items.Count; i++) sb.Append(i == 0 ? "\n" : "").Append(i + 1).Append(". ").Append(n.Items[i].In(lang)).Append('\n');
        if (n.Link is { } link) sb.Append('\n').Append(link).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }, "\n\n----------\n\n");

    /// <summary>The title in the channel's language ("both": Chinese / English).</summary>
    public static string Title(Notice n, string language) => language == "both" ? $"{n.Title.Zh} / {n.Title.En}" : n.Title.In(language);

    /// <summary>Plain JSON: the notice in both languages with the object it is about.</summary>
    public static string PlainJson(Notice n) => JsonSerializer.Serialize(new
    {
        kind = n.Kind,
        key = n.Key,
        at = n.At,
        rule = n.Rule,
        severity = n.Severity,
        branchId = n.BranchId,
        title = n.Title,
        facts = n.Facts.Select(f => new { name = f.Name, value = f.Value }),
        text = n.Text,
        items = n.Items.Count == 0 ? null : n.Items,
        link = n.Link,
        subject = n.Subject,
    }, Json);

    private static string Both(string language, Func<string, string> one, string between) =>
        language == "both" ? one(Locales.ZhCn) + between + one(Locales.En) : one(language);

    private static string Colon(string lang) => Locales.IsEnglish(lang) ? ": " : "：";

    private static JsonObject At(NotificationChannel c) => new() { ["atMobiles"] = Array(c.Mention), ["isAtAll"] = false };

    /// <summary>DingTalk's markdown reaches the people it @s only when their numbers are in the text too.</summary>
    private static string Mentions(NotificationChannel c) => c.Mention.Count == 0 ? "" : "\n\n" + string.Join(" ", c.Mention.Select(m => "@" + m));

    private static JsonArray Array(IReadOnlyList<string> items) => [.. items.Select(i => (JsonNode?)JsonValue.Create(i))];

    private static string Serialize(JsonObject o) => o.ToJsonString(Json);

    /// <summary>The text cut to at most <paramref name="bytes"/> UTF-8 bytes, ending with "…" when cut.</summary>
    public static string Cut(string text, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= bytes) return text;
        var budget = bytes - Encoding.UTF8.GetByteCount("…");
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget) break;
            sb.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }
        return sb.Append('…').ToString();
    }
}
