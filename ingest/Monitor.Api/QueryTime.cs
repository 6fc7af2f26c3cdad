using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitor.Api;

/// <summary>
/// How a time in a query string is read: ISO-8601 with a date, a time and an explicit offset (<c>Z</c> or
/// <c>±hh:mm</c>). A time without an offset is refused rather than read in the server's zone, which would shift
/// an officer's filter by hours without a word. An unencoded <c>+</c> in a URL arrives as a space, so a space
/// where the offset's sign belongs is read as <c>+</c> (it can mean nothing else).
/// </summary>
public static partial class QueryTime
{
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        time = default;
        var m = Shape().Match(text);
        if (!m.Success) return false;
        var normal = m.Groups["space"].Success ? text[..m.Groups["space"].Index] + "+" + text[(m.Groups["space"].Index + 1)..] : text;
        return DateTimeOffset.TryParseExact(normal, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}|(?<space> )\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
