using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Monitor.IntegrationTests;

/// <summary>
/// A terminal of <see cref="Columns"/> × <see cref="Rows"/> drawing what a program wrote to it, as xterm does, with
/// enough of VT100 for what the CLI and Spectre.Console write (cursor moves, erasing, colours ignored): the screen
/// the user is left with, every line that ran past the right edge and was wrapped by the terminal, and how many rows
/// a live view redrew. Its character widths are its own (East Asian wide and full-width characters take two
/// columns, combining marks none), not the CLI's, so a width the CLI gets wrong shows.
/// </summary>
internal sealed partial class VirtualTerminal
{
    private readonly List<string?[]> _lines = []; // scrollback then screen; a wide character's second cell is null
    private int _row; // on the screen: 0 is its top
    private int _col;
    private bool _pendingWrap; // the last column was written: the next character wraps, as xterm does

    public VirtualTerminal(int columns, int rows)
    {
        Columns = columns;
        Rows = rows;
        for (var i = 0; i < rows; i++) _lines.Add(NewLine());
    }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>The lines as they stood when a character ran past the right edge (the terminal wrapped them).</summary>
    public List<string> Wrapped { get; } = [];

    /// <summary>The largest cursor-up move: a live view moves up to its first row to redraw, so its height less one.</summary>
    public int MaxCursorUp { get; private set; }

    /// <summary>The screen as it is now, top to bottom, without trailing spaces.</summary>
    public IReadOnlyList<string> Screen => [.. _lines.Skip(_lines.Count - Rows).Select(Text)];

    public VirtualTerminal Write(string output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            var c = output[i];
            switch (c)
            {
                case '\u001b':
                    i = Escape(output, i);
                    break;
                case '\r':
                    _col = 0;
                    _pendingWrap = false;
                    break;
                case '\n':
                    LineFeed();
                    break;
                case '\b':
                    _col = Math.Max(0, _col - 1);
                    _pendingWrap = false;
                    break;
                case '\t':
                    _col = Math.Min(Columns - 1, (_col / 8 + 1) * 8);
                    break;
                case < ' ' or '\u007f':
                    break; // BEL and the like
                default:
                    var rune = char.IsHighSurrogate(c) && i + 1 < output.Length ? new Rune(c, output[++i]) : new Rune(char.IsSurrogate(c) ? '\uFFFD' : c);
                    Put(rune);
                    break;
            }
        }
        return this;
    }

    /// <summary>Display columns of <paramref name="rune"/>: 2 for East Asian wide and full-width characters, 0 for combining marks.</summary>
    public static int Width(Rune rune)
    {
        var v = rune.Value;
        if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) return 0;
        return v is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1F64F
            or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD
            ? 2
            : 1;
    }

    /// <summary>Display columns of <paramref name="text"/> (no escapes in it).</summary>
    public static int Width(string text) => text.EnumerateRunes().Sum(Width);

    /// <summary>
    /// What a program wrote, as lines: escape sequences taken out, split at every carriage return and line feed.
    /// A line the program wrote wider than the terminal stays one line here, wherever the terminal broke it.
    /// </summary>
    public static IEnumerable<string> WrittenLines(string output) => Ansi().Replace(output, "").Split(['\r', '\n']);

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(\u0007|\u001b\\)|[()][0-9A-Za-z]|[=>78DEM])")]
    private static partial Regex Ansi();

    private string?[] NewLine() => Enumerable.Repeat<string?>(" ", Columns).ToArray();

    private static string Text(string?[] cells) => string.Concat(cells.Where(c => c is not null)).TrimEnd();

    private string?[] Current => _lines[_lines.Count - Rows + _row];

    private void LineFeed()
    {
        _pendingWrap = false;
        if (_row < Rows - 1) _row++;
        else _lines.Add(NewLine()); // the top line scrolls into the scrollback
    }

    private void Put(Rune rune)
    {
        var w = Width(rune);
        if (w == 0)
        {
            var before = Math.Max(0, _col - 1);
            Current[before] += rune.ToString();
            return;
        }
        if (_pendingWrap || _col + w > Columns)
        {
            Wrapped.Add(Text(Current));
            _col = 0;
            LineFeed();
        }
        var line = Current;
        if (line[_col] is null && _col > 0) line[_col - 1] = " "; // over the right half of a wide character
        if (w == 1 && _col + 1 < Columns && line[_col + 1] is null) line[_col + 1] = " "; // over the left half
        line[_col] = rune.ToString();
        if (w == 2) line[_col + 1] = null;
        if (_col + w >= Columns)
        {
            _col = Columns - 1;
            _pendingWrap = true;
        }
        else
        {
            _col += w;
        }
    }

    private int Escape(string s, int i)
    {
        if (i + 1 >= s.Length) return i;
        var kind = s[i + 1];
        if (kind == ']') // OSC: up to BEL or ESC \
        {
            var end = i + 2;
            while (end < s.Length && s[end] != '\u0007' && !(s[end] == '\u001b' && end + 1 < s.Length && s[end + 1] == '\\')) end++;
            return end < s.Length && s[end] == '\u001b' ? end + 1 : end;
        }
        if (kind is '(' or ')') return i + 2;
        if (kind != '[') return i + 1; // ESC = and the like
        var j = i + 2;
        while (j < s.Length && s[j] is >= '0' and <= '?') j++;
        while (j < s.Length && s[j] is >= ' ' and <= '/') j++;
        if (j >= s.Length) return s.Length - 1;
        var args = s[(i + 2)..j];
        var n = int.TryParse(args.Split(';')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var count = Math.Max(1, n);
        switch (s[j])
        {
            case 'A':
                MaxCursorUp = Math.Max(MaxCursorUp, count);
                _row = Math.Max(0, _row - count);
                _pendingWrap = false;
                break;
            case 'B':
                _row = Math.Min(Rows - 1, _row + count);
                _pendingWrap = false;
                break;
            case 'C':
                _col = Math.Min(Columns - 1, _col + count);
                _pendingWrap = false;
                break;
            case 'D':
                _col = Math.Max(0, _col - count);
                _pendingWrap = false;
                break;
            case 'G':
                _col = Math.Clamp(count - 1, 0, Columns - 1);
                _pendingWrap = false;
                break;
            case 'H' or 'f':
                var parts = args.Split(';');
                _row = Math.Clamp((parts.Length > 0 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var r) ? r : 1) - 1, 0, Rows - 1);
                _col = Math.Clamp((parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var c) ? c : 1) - 1, 0, Columns - 1);
                _pendingWrap = false;
                break;
            case 'K':
                var line = Current;
                var (from, to) = n switch { 1 => (0, _col + 1), 2 => (0, Columns), _ => (_col, Columns) };
                for (var k = from; k < to; k++) line[k] = " ";
                break;
            case 'J':
                if (n == 2 || n == 3)
                    for (var k = 0; k < Rows; k++) _lines[_lines.Count - Rows + k] = NewLine();
                else if (n == 0)
                {
                    for (var k = _col; k < Columns; k++) Current[k] = " ";
                    for (var k = _row + 1; k < Rows; k++) _lines[_lines.Count - Rows + k] = NewLine();
                }
                break;
        }
        return j;
    }
}
