namespace Monitor.Reports;

/// <summary>
/// One table of a report as both renderers take it: a name (the XLSX sheet's, the HTML section's title), the column
/// headers and the rows, each cell a number or a text. The last row is the totals when <see cref="HasTotals"/>.
/// </summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public bool HasTotals { get; init; }

    /// <summary>A line of text under the title (what the table shows, or why it is empty).</summary>
    public string? Note { get; init; }
}

/// <summary>A report: its title, lines about it (branch, day, language, when it was made), and its tables in order.</summary>
public sealed record Report(string Title, IReadOnlyList<string> About, IReadOnlyList<ReportTable> Tables, ReportLanguage Language);
