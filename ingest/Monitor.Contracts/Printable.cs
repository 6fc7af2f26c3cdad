using System.Globalization;
using System.Text;

namespace Monitor.Contracts;

/// <summary>
/// Text from the outside world made safe to print on a console or a log line: control characters (newlines,
/// ANSI escapes), invisible format characters and bidirectional overrides become visible escapes such as
/// <c>\n</c> or <c>\u202E</c>, so a value can never forge a line or recolour a terminal. Also tells whether an
/// identifier holds any such character at all (the contract refuses those).
/// </summary>
public static class Printable
{
    /// <summary>True for characters that print nothing visible or change how the rest prints.</summary>
    public static bool IsHidden(char c)
    {
        if (c < 0x20 || c == 0x7F) return true;
        if (c < 0x80) return false;
        if (IsIgnorable(c)) return true;
        return CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>
    /// Default-ignorable characters that are not in the format category (Unicode's DerivedCoreProperties): the
    /// combining grapheme joiner, the Hangul fillers, the Khmer inherent vowels, the Mongolian and the other
    /// variation selectors. They render as nothing, so "Q1" and "Q1" followed by one of them would look alike.
    /// </summary>
    private static bool IsIgnorable(char c) =>
        c is '\u034F' or '\u115F' or '\u1160' or '\u17B4' or '\u17B5' or (>= '\u180B' and <= '\u180F') or '\u3164'
            or (>= '\uFE00' and <= '\uFE0F') or '\uFFA0';

    /// <summary>The index of the first hidden character, or -1.</summary>
    public static int FirstHidden(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                // A pair outside the BMP: refuse only the invisible ones (tags, private use, unassigned).
                var category = CharUnicodeInfo.GetUnicodeCategory(s, i);
                if (category is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    || char.ConvertToUtf32(c, s[i + 1]) is >= 0xE0100 and <= 0xE01EF) return i; // tags, private use, variation selectors
                i++;
                continue;
            }
            if (IsHidden(c)) return i;
        }
        return -1;
    }

    /// <summary>The text with every hidden character written as an escape (<c>\n</c>, <c>\t</c>, <c>\u001B</c>...); a backslash is doubled.</summary>
    public static string Escape(string? s)
    {
        if (string.IsNullOrEmpty(s)) return s ?? "";
        if (FirstHidden(s) < 0 && !s.Contains('\\')) return s;
        var b = new StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) && FirstHidden(s.Substring(i, 2)) < 0)
            {
                b.Append(c).Append(s[++i]);
                continue;
            }
            switch (c)
            {
                case '\\': b.Append(@"\\"); break;
                case '\n': b.Append(@"\n"); break;
                case '\r': b.Append(@"\r"); break;
                case '\t': b.Append(@"\t"); break;
                default:
                    if (IsHidden(c)) b.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else b.Append(c);
                    break;
            }
        }
        return b.ToString();
    }
}
