using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Monitor.Contracts;

/// <summary>
/// What the monitor writes to its console and logs names no subject (the person whose report was read): each
/// "subject &lt;id&gt;" in an explanation becomes "subject ~&lt;8 hex&gt;", the same for the same id, so lines still
/// correlate; an alert whose entity is a subject shows that entity as "~&lt;8 hex&gt;" too (<see cref="Entity"/>). The alert
/// on <c>credit.alerts</c>, the alert store and the API keep the id for officers, who are entitled to it.
/// </summary>
public static partial class LogRedaction
{
    /// <summary>An alert's entity as logs may show it: a subject entity (REPEATED_SUBJECT across users) as its token, anything else as it is.</summary>
    public static string Entity(string entityType, string entityId) =>
        entityType == "subject" ? "~" + Short(entityId) : entityId;

    public static string Subjects(string text) =>
        text.Contains("subject ", StringComparison.Ordinal) ? SubjectId().Replace(text, m => "subject ~" + Short(m.Groups[1].Value)) : text;

    private static string Short(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 4));

    [GeneratedRegex(@"subject (?!~)([^\s;,()]+)")]
    private static partial Regex SubjectId();
}
