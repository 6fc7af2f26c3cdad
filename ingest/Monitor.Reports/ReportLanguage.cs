namespace Monitor.Reports;

/// <summary>The language of a report: Chinese (zh-CN) by default, as the bank's officers and the regulator read it; English on request.</summary>
public sealed record ReportLanguage(string Tag)
{
    public static readonly ReportLanguage Chinese = new("zh-CN");
    public static readonly ReportLanguage English = new("en");
    public static readonly string[] Tags = ["zh-CN", "en"];

    public bool IsChinese => Tag == Chinese.Tag;

    /// <summary>The language of a tag (<c>zh-CN</c>, <c>zh</c>, <c>en</c>), or null.</summary>
    public static ReportLanguage? Parse(string? tag) => tag?.ToLowerInvariant() switch
    {
        null or "" or "zh-cn" or "zh" => Chinese,
        "en" or "en-us" or "en-gb" => English,
        _ => null,
    };

    /// <summary>The Chinese or the English text.</summary>
    public string T(string zh, string en) => IsChinese ? zh : en;
}
