using System.Text;
using Monitor.Store;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>The chart's usual level of a user's reads, and the audit log's CSV as a spreadsheet opens it.</summary>
public sealed class DailyReadsAndCsvTests
{
    private static UserReads R(int day, int reads, string branch = "SB0101") => new($"2026-03-{day:00}", branch, reads);

    [Fact]
    public void The_usual_level_is_the_median_of_the_days_before_once_three_are_known_and_a_day_at_two_branches_counts_once()
    {
        var points = DailyReads.Of([R(2, 10), R(3, 30), R(4, 20), R(5, 12), R(5, 8, "SB0102"), R(6, 200), R(7, 22)]);
        Assert.Equal(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"], points.Select(p => p.Day));
        Assert.Equal([10, 30, 20, 20, 200, 22], points.Select(p => p.Reads));
        // 3 days known: median(10, 30, 20) = 20; then median(10, 30, 20, 20) = 20; the spike does not lift the next day's bar much.
        Assert.Equal([null, null, null, 20.0, 20.0, 20.0], points.Select(p => p.Usual));
    }

    [Fact]
    public void The_usual_level_looks_back_no_further_than_its_window()
    {
        var history = Enumerable.Range(0, DailyReads.Window).Select(i => new UserReads($"2026-01-{i + 1:00}", "SB0101", 1000))
            .Concat(Enumerable.Range(1, DailyReads.Window).Select(i => new UserReads($"2026-02-{i:00}", "SB0101", 10))).ToList();
        var last = DailyReads.Of(history).Last();
        Assert.Equal(10.0, last.Usual); // the 28 days before it, all of February's, not January's thousands
    }

    [Fact]
    public void The_csv_has_a_bom_a_header_times_in_the_banks_zone_quoted_cells_and_no_formula_a_spreadsheet_would_run()
    {
        var at = new DateTimeOffset(2026, 3, 2, 1, 2, 3, 456, TimeSpan.Zero);
        var bytes = AuditCsv.Write(
        [
            new AuditEntry(1, at, "officer-wang", "officer", "dismiss", "al-1", "网点延时营业, 经批准\n第二行 \"引号\"", null),
            new AuditEntry(2, at, "officer-wang", "officer", "note", "al-1", "=HYPERLINK(\"http://x\")", "-2+3"),
        ], TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Equal(
            "seq,time,actor,role,action,target,reason,detail\r\n" +
            "1,2026-03-02T09:02:03.456+08:00,officer-wang,officer,dismiss,al-1,\"网点延时营业, 经批准\n第二行 \"\"引号\"\"\",\r\n" +
            "2,2026-03-02T09:02:03.456+08:00,officer-wang,officer,note,al-1,\"'=HYPERLINK(\"\"http://x\"\")\",'-2+3\r\n", text);
    }
}
