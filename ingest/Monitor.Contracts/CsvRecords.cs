using System.Text;

namespace Monitor.Contracts;

/// <summary>
/// The CSV files people hand the monitor (the account directory, the names directory; docs/operations.md): UTF-8 with
/// or without a BOM, comma separated with RFC 4180 quoting, lines ending in LF or CRLF. One reader, so every file is
/// refused the same way, naming its line (<see cref="CsvFileException"/>).
/// </summary>
public static class CsvRecords
{
    /// <summary>The records of <paramref name="bytes"/> with the line each starts on; the first is the header.</summary>
    public static List<(int Line, List<string> Fields)> Read(ReadOnlySpan<byte> bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CsvFileException(LineOf(bytes, e.Index), null, "the file is not UTF-8 text");
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        return Records(text);
    }

    /// <summary>RFC 4180 records with the line each starts on; CRLF or LF ends a record, a quoted field may hold either.</summary>
    internal static List<(int Line, List<string> Fields)> Records(string text)
    {
        var records = new List<(int, List<string>)>();
        var line = 1;
        var i = 0;
        var field = new StringBuilder();
        while (i < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            while (true)
            {
                field.Clear();
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length) throw new CsvFileException(start, null, "a quoted field is not closed (a '\"' is missing)");
                        var c = text[i++];
                        if (c == '"')
                        {
                            if (i < text.Length && text[i] == '"')
                            {
                                field.Append('"');
                                i++;
                                continue;
                            }
                            break;
                        }
                        if (c == '\n') line++;
                        field.Append(c);
                    }
                    if (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                        throw new CsvFileException(line, null, "text after the closing quote of a field (quote it whole, a quote inside doubled: \"\")");
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                    {
                        if (text[i] == '"') throw new CsvFileException(line, null, "a quote inside an unquoted field (quote the field, the quote doubled: \"\")");
                        field.Append(text[i++]);
                    }
                }
                fields.Add(field.ToString());
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    continue;
                }
                break;
            }
            if (i < text.Length && text[i] == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                else throw new CsvFileException(line, null, "a carriage return that does not end the line (lines end with CRLF or LF)");
            }
            if (i < text.Length) i++; // the line feed
            line++;
            records.Add((start, fields));
        }
        return records;
    }

    internal static int LineOf(ReadOnlySpan<byte> bytes, int index)
    {
        var line = 1;
        for (var k = 0; k < Math.Min(index, bytes.Length); k++) if (bytes[k] == '\n') line++;
        return line;
    }
}

/// <summary>A row of a CSV file that cannot be taken: its line, the field when one is to blame, and why.</summary>
public class CsvFileException(int line, string? field, string reason)
    : Exception(field is null ? $"line {line}: {reason}" : $"line {line}, field {field}: {reason}")
{
    public int Line { get; } = line;
    public string? Field { get; } = field;
    public string Reason { get; } = reason;
}
