using System.Text.Json;
using System.Text.RegularExpressions;

namespace Monitor.Detectors.Settings;

/// <summary>
/// A <see cref="JsonException"/> from reading settings, in the project's words: the key, where it is in the
/// file (line and column), and what kind of value the key takes; never .NET type names.
/// </summary>
internal static partial class JsonProblem
{
    /// <summary>One line for <paramref name="e"/>; <paramref name="prefix"/> is where the JSON sits in the settings, e.g. <c>branches.SB0101.</c>.</summary>
    public static string Describe(JsonException e, string prefix = "")
    {
        var key = prefix + (e.Path is { Length: > 2 } path ? path[2..] : "");
        var at = Position(e);
        var where = at is null ? "" : $" ({at})";
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return $"settings: {key}{where}: not a known setting (docs/settings.md lists them; check the spelling)";
        if (ConvertedTo().Match(message) is { Success: true } converted)
            return $"settings: {Or(key, "the file")}{where}: must be {Kind(converted.Groups["type"].Value)}";
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"settings: {Or(key, "the file")}{where}: missing {missing.Groups["names"].Value.Replace("'", "", StringComparison.Ordinal)}";
        var first = FirstSentence(message);
        if (first.StartsWith("Expected depth to be zero", StringComparison.Ordinal)) first = "the file ends before its last object or list is closed";
        return at is null
            ? $"settings: {Or(key, "the file")}: {first}"
            : $"settings: not valid JSON at {at}: {first}";
    }

    /// <summary>"line L, column C" (both from 1) where the reader stopped, or null when it does not say.</summary>
    internal static string? Position(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : null;

    /// <summary>System.Text.Json's message without its path and position tail.</summary>
    internal static string FirstSentence(string message) => message.Split(". ")[0].Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.');

    private static string Or(string key, string fallback) => key.Length > 0 ? key : fallback;

    /// <summary>What a .NET type named in System.Text.Json's message is, for someone editing the file.</summary>
    internal static string Kind(string type)
    {
        var nullable = type.StartsWith("System.Nullable`1[", StringComparison.Ordinal);
        var inner = nullable ? type["System.Nullable`1[".Length..^1] : type;
        var kind = inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a text in double quotes",
            "System.DateTimeOffset" or "System.DateTime" => "a time with an offset in double quotes, e.g. \"2026-05-01T00:00:00+08:00\"",
            _ when inner.Contains("Dictionary`2", StringComparison.Ordinal) => "an object of named entries { \"name\": ... }",
            _ when inner.Contains("List`1", StringComparison.Ordinal) || inner.Contains("Enumerable`1", StringComparison.Ordinal)
                || inner.EndsWith("[]", StringComparison.Ordinal) => "a list [ ... ]",
            _ when inner.StartsWith("Monitor.", StringComparison.Ordinal) => "an object { ... }",
            _ => "a different kind of value",
        };
        return nullable ? kind + ", or null" : kind;
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.(\s|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"missing required properties including: (?<names>.+?)\.(\s|$)")]
    private static partial Regex MissingRequired();
}
