using System.Text;

namespace Monitor.Store;

/// <summary>
/// The cursors of <see cref="Page{T}"/>: the sort keys of a page's last row, as URL-safe base64 (opaque to callers,
/// who pass back what they were given). A cursor that does not decode to the keys expected is refused.
/// </summary>
public static class PageCursor
{
    public static string Of(params string[] keys) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', keys))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The keys of <paramref name="cursor"/>, when it holds <paramref name="count"/> of them; else null.</summary>
    public static string[]? Keys(string cursor, int count)
    {
        if (cursor.Length is 0 or > 2048) return null;
        var b64 = cursor.Replace('-', '+').Replace('_', '/');
        b64 += new string('=', (4 - b64.Length % 4) % 4);
        try
        {
            var keys = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('\n');
            return keys.Length == count && keys.All(k => k.Length > 0) ? keys : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A cursor that is not one of the store's (edited, cut, or from another list).</summary>
public sealed class BadCursorException(string message) : Exception(message);
