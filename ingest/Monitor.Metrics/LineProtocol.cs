using System.Globalization;
using System.Text;

namespace Monitor.Metrics;

/// <summary>
/// InfluxDB line protocol, as the 1.x and 2.x write APIs read it: measurement names escape commas and spaces;
/// tag keys, tag values and field keys escape commas, equals signs and spaces; string field values are quoted
/// and escape quotes and backslashes; integers end in <c>i</c>; times are Unix milliseconds (the writers send
/// <c>precision=ms</c>). Line protocol cannot carry a newline inside a value, so newlines become spaces.
/// </summary>
public static class LineProtocol
{
    public static string Format(Point p)
    {
        var sb = new StringBuilder(128);
        Append(sb, p);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, Point p)
    {
        if (p.Fields.Count == 0) throw new ArgumentException($"point {p.Measurement} has no field; line protocol needs one");
        Escape(sb, p.Measurement, measurement: true);
        foreach (var (k, v) in p.Tags)
        {
            sb.Append(',');
            Escape(sb, k, measurement: false);
            sb.Append('=');
            Escape(sb, v, measurement: false);
        }
        var first = true;
        foreach (var (k, v) in p.Fields)
        {
            sb.Append(first ? ' ' : ',');
            first = false;
            Escape(sb, k, measurement: false);
            sb.Append('=');
            switch (v)
            {
                case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)).Append('i'); break;
                case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
                case bool b: sb.Append(b ? "true" : "false"); break;
                case string s: Quote(sb, s); break;
                default: throw new ArgumentException($"field {k}: {v.GetType().Name} is not a line-protocol type");
            }
        }
        sb.Append(' ').Append(p.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    private static void Escape(StringBuilder sb, string s, bool measurement)
    {
        foreach (var c in s)
        {
            switch (c)
            {
                case ',' or ' ': sb.Append('\\').Append(c); break;
                case '=' when !measurement: sb.Append("\\="); break;
                case '\n' or '\r': sb.Append("\\ "); break;
                default: sb.Append(c); break;
            }
        }
    }

    private static void Quote(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"' or '\\': sb.Append('\\').Append(c); break;
                case '\n' or '\r': sb.Append(' '); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
