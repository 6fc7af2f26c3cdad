using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Monitor.Reports;

/// <summary>
/// A report as an XLSX workbook, one sheet per table in the report's order, the headers in the first row. Written
/// with MiniExcel (docs/verification.md says why this library).
/// </summary>
public static class XlsxReport
{
    public static void Write(Report report, Stream to)
    {
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var table in report.Tables)
            sheets[SheetName(table.Name, sheets.Keys)] = table.Rows.Select(row => Row(table.Headers, row)).ToList();
        var config = new OpenXmlConfiguration { TableStyles = TableStyles.None, FastMode = true };
        to.SaveAs(sheets, printHeader: true, excelType: ExcelType.XLSX, configuration: config);
    }

    public static void Write(Report report, string path)
    {
        using var file = File.Create(path);
        Write(report, file);
    }

    private static IDictionary<string, object?> Row(IReadOnlyList<string> headers, IReadOnlyList<object?> cells)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++) row[headers[i]] = i < cells.Count ? cells[i] : null;
        return row;
    }

    /// <summary>A sheet name Excel takes: at most 31 characters, none of <c>[]:*?/\</c>, unique in the workbook.</summary>
    private static string SheetName(string name, IEnumerable<string> taken)
    {
        var clean = new string([.. name.Select(c => "[]:*?/\\".Contains(c) ? ' ' : c)]);
        clean = clean.Length > 31 ? clean[..31] : clean;
        var unique = clean;
        for (var n = 2; taken.Contains(unique); n++) unique = $"{clean[..Math.Min(clean.Length, 28)]} {n}";
        return unique;
    }
}
