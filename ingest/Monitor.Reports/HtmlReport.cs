using System.Globalization;
using System.Net;
using System.Text;

namespace Monitor.Reports;

/// <summary>
/// A report as one printable HTML page: no script, no external asset, styles for the screen and for A4 paper
/// (each table starts on a new page when printed, headers repeat on every page).
/// </summary>
public static class HtmlReport
{
    public static string Render(Report report)
    {
        var h = new StringBuilder();
        h.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"{report.Language.Tag}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{E(report.Title)}</title>\n");
        h.Append("""
            <style>
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em; color: #1a1a1a; }
            h1 { font-size: 1.4em; margin-bottom: .3em; }
            h2 { font-size: 1.1em; margin-top: 1.6em; }
            p.about, p.note { margin: .2em 0; color: #444; }
            table { border-collapse: collapse; margin-top: .5em; font-size: .9em; max-width: 100%; }
            th, td { border: 1px solid #999; padding: .25em .5em; vertical-align: top; white-space: nowrap; }
            th { background: #eef1f5; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            td.wide { white-space: normal; min-width: 24em; max-width: 40em; }
            tr.total td { font-weight: bold; border-top: 2px solid #333; }
            @page { size: A4 landscape; margin: 12mm; }
            @media print { body { margin: 0; } section { break-before: page; } section:first-of-type { break-before: auto; } thead { display: table-header-group; } }
            </style>
            </head>
            <body>

            """);
        h.Append(CultureInfo.InvariantCulture, $"<h1>{E(report.Title)}</h1>\n");
        foreach (var line in report.About) h.Append(CultureInfo.InvariantCulture, $"<p class=\"about\">{E(line)}</p>\n");
        foreach (var table in report.Tables)
        {
            h.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>{E(table.Name)}</h2>\n");
            if (table.Note is { } note) h.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(note)}</p>\n");
            h.Append("<table>\n<thead><tr>");
            foreach (var header in table.Headers) h.Append(CultureInfo.InvariantCulture, $"<th>{E(header)}</th>");
            h.Append("</tr></thead>\n<tbody>\n");
            for (var r = 0; r < table.Rows.Count; r++)
            {
                h.Append(table.HasTotals && r == table.Rows.Count - 1 ? "<tr class=\"total\">" : "<tr>");
                foreach (var cell in table.Rows[r])
                    h.Append(cell is int or long or double ? $"<td class=\"n\">{Convert.ToString(cell, CultureInfo.InvariantCulture)}</td>"
                        : cell is string { Length: > 60 } text ? $"<td class=\"wide\">{E(text)}</td>" : $"<td>{E(cell as string ?? Convert.ToString(cell, CultureInfo.InvariantCulture))}</td>");
                h.Append("</tr>\n");
            }
            h.Append("</tbody>\n</table>\n</section>\n");
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
