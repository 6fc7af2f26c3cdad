using System.Globalization;
using System.Text;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The audit log as an auditor takes it away: CSV (RFC 4180) in UTF-8 with a byte-order mark, so that Excel opens the
/// Chinese reasons as text, one row per entry, times in the bank's zone with their offset. A cell that a spreadsheet
/// would read as a formula (starting with <c>= + - @</c>, a tab or a carriage return) is prefixed with <c>'</c>: a
/// reason typed by someone is never run by the auditor's spreadsheet.
/// </summary>
public static class AuditCsv
{
    public static readonly IReadOnlyList<string> Header = ["seq", "time", "actor", "role", "action", "target", "reason", "detail"];

    public static byte[] Write(IEnumerable<AuditEntry> entries, TimeZoneInfo zone)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", Header)).Append("\r\n");
        foreach (var e in entries)
        {
            var at = TimeZoneInfo.ConvertTime(e.At, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            string[] cells = [e.Seq.ToString(CultureInfo.InvariantCulture), at, e.Actor, e.Role, e.Action, e.Target, e.Reason ?? "", e.Detail ?? ""];
            sb.Append(string.Join(",", cells.Select(Cell))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>One cell: defused when a spreadsheet would take it for a formula, quoted when it holds a comma, quote or line break.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
