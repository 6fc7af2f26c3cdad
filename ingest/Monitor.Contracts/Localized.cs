using System.Text.Json.Serialization;

namespace Monitor.Contracts;

/// <summary>
/// The languages the monitor writes for people: Chinese first (the officers and the branches), English beside it
/// (analysts, auditors from abroad, and every consumer that read the English fields before there was a Chinese one).
/// </summary>
public static class Locales
{
    public const string ZhCn = "zh-CN";
    public const string En = "en";

    public static readonly IReadOnlyList<string> All = [ZhCn, En];

    /// <summary>English for "en" and "en-…", Chinese for anything else (the default).</summary>
    public static bool IsEnglish(string? tag) => tag is not null && (tag.Equals(En, StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en-", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One text in both languages, as it travels on alerts and commands: <c>{"zh-CN": "...", "en": "..."}</c>. The
/// English one is the same text as the English field beside it (<c>explanation</c>, <c>reason</c>).
/// </summary>
public sealed record Localized
{
    [JsonPropertyName("zh-CN")] public required string Zh { get; init; }
    [JsonPropertyName("en")] public required string En { get; init; }

    /// <summary>The text in <paramref name="tag"/> (zh-CN unless English is asked for).</summary>
    public string In(string? tag) => Locales.IsEnglish(tag) ? En : Zh;

    /// <summary>Both texts with <paramref name="zh"/> and <paramref name="en"/> appended.</summary>
    public Localized Append(string zh, string en) => new() { Zh = Zh + zh, En = En + en };

    /// <summary>The same text in both languages (a text the monitor cannot translate, e.g. an officer's own words).</summary>
    public static Localized Same(string text) => new() { Zh = text, En = text };
}

/// <summary>What the branch notice of a command says in one language: its subject and what the branch must verify.</summary>
public sealed record NoticeText
{
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("verify")] public required IReadOnlyList<string> Verify { get; init; }
}

/// <summary>The branch notice in both languages: <c>{"zh-CN": {"subject", "verify"}, "en": {...}}</c>.</summary>
public sealed record NoticeTexts
{
    [JsonPropertyName("zh-CN")] public required NoticeText Zh { get; init; }
    [JsonPropertyName("en")] public required NoticeText En { get; init; }

    public NoticeText In(string? tag) => Locales.IsEnglish(tag) ? En : Zh;
}
