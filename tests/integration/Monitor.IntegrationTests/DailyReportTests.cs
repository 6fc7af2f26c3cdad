using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using MiniExcelLibs;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The daily verification report as a branch prints it (issue 16): a simulated week replayed into a store, then
/// <c>./monitor report daily</c> writes the workbook and the printable page. The workbook is read back (sheet names,
/// the first sheet's row per user and total row, Chinese text) against the store's own counts; the page is opened in
/// Debian's Chromium, driven headless by Playwright, and a screenshot kept with the test results.
/// </summary>
public sealed class DailyReportTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("report");
    private string _store = "";
    private DaySheet _sheet = null!;

    public async Task InitializeAsync()
    {
        (_, _, _store) = await SimulatedStore.ReplayAsync(_dir, days: 7, seed: 13, "off_hours=2,no_authorization=2,volume_spike=1,register_mismatch=1", feeds: true);
        var store = await AlertStore.OpenAsync(_store, TimeProvider.System);
        // The branch-day with the most users.
        var busiest = (await store.SheetsAsync(null, "2000-01-01")).OrderByDescending(s => s.Users).ThenBy(s => s.BranchId, StringComparer.Ordinal).First();
        _sheet = (await store.SheetAsync(busiest.BranchId, busiest.Day))!;
        SqliteConnection.ClearAllPools();
    }

    public Task DisposeAsync()
    {
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_workbook_has_a_row_per_user_and_a_total_row_equal_to_the_stores_counts_in_chinese_and_in_english()
    {
        var zh = Path.Combine(_dir.FullName, "daily.xlsx");
        var (code, err) = await Cli.Run("report", "daily", "--store", _store, "--branch", _sheet.BranchId, "--day", _sheet.Day, "--format", "xlsx", "--output", zh);
        Assert.True(code == 0, err);

        Assert.Equal(["用户查询", "核查项", "签核", "分级汇总"], MiniExcel.GetSheetNames(zh));
        var rows = MiniExcel.Query(zh, useHeaderRow: true, sheetName: "用户查询").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(_sheet.Users.Count + 1, rows.Count);
        Assert.Equal(_sheet.Users.Select(u => u.UserId), rows.SkipLast(1).Select(r => r["用户"]?.ToString()));
        Assert.Equal(_sheet.Users.Select(u => u.ReadsTotal), rows.SkipLast(1).Select(r => Convert.ToInt32(r["查询合计"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("合计", rows[^1]["用户"]);
        Assert.Equal(_sheet.Totals.ReadsTotal, Convert.ToInt32(rows[^1]["查询合计"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(_sheet.Totals.NeedingAuthorization, Convert.ToInt32(rows[^1]["需授权"], System.Globalization.CultureInfo.InvariantCulture));
        if (_sheet.Totals.Reads.TryGetValue("loan_approval", out var loans))
            Assert.Equal(loans, Convert.ToInt32(rows[^1]["贷款审批"], System.Globalization.CultureInfo.InvariantCulture));
        // The approval register: entries and reads without one, per user and in total, as the store holds them.
        Assert.NotNull(_sheet.Totals.RegisterEntries);
        Assert.Equal(_sheet.Totals.RegisterEntries, Convert.ToInt32(rows[^1]["登记簿条目"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(_sheet.Totals.WithoutEntry, Convert.ToInt32(rows[^1]["未登记查询"], System.Globalization.CultureInfo.InvariantCulture));
        var signOff = MiniExcel.Query(zh, useHeaderRow: true, sheetName: "签核").Cast<IDictionary<string, object?>>().ToDictionary(r => r["项目"]!.ToString()!, r => r["内容"]?.ToString());
        Assert.Equal("已接入", signOff["查询审批登记簿"]);
        var items = MiniExcel.Query(zh, useHeaderRow: true, sheetName: "核查项").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(_sheet.Items.Count, items.Count);
        Assert.All(items, i => Assert.Equal("未核查", i["核查结论"])); // nothing signed yet

        var en = Path.Combine(_dir.FullName, "daily-en.xlsx");
        (code, err) = await Cli.Run("report", "daily", "--store", _store, "--branch", _sheet.BranchId, "--day", _sheet.Day, "--output", en, "--lang", "en");
        Assert.True(code == 0, err);
        Assert.Equal(["Users", "Items", "Sign-off", "By level"], MiniExcel.GetSheetNames(en));
        Assert.Equal("Total", MiniExcel.Query(en, useHeaderRow: true, sheetName: "Users").Cast<IDictionary<string, object?>>().Last()["User"]);
    }

    [Fact]
    public async Task The_monthly_summary_counts_the_months_sheets_signatures_findings_and_reads_as_the_store_holds_them()
    {
        // One sheet signed with a violation, so the summary has a signature and a violation to count.
        var store = await AlertStore.OpenAsync(_store, TimeProvider.System);
        var officer = new Actor("officer-wang", "officer");
        foreach (var item in _sheet.Items)
            await store.GiveVerdictAsync(_sheet.BranchId, _sheet.Day, item.ItemId, item.Kind == SheetItem.Finding ? ItemVerdict.Violation : ItemVerdict.Legitimate, "checked", officer);
        Assert.True((await store.SignAsync(_sheet.BranchId, _sheet.Day, null, officer)).Value is not null);
        var month = _sheet.Day[..7];
        var figures = await store.MonthAsync(month);
        SqliteConnection.ClearAllPools();

        var xlsx = Path.Combine(_dir.FullName, "monthly.xlsx");
        var (code, err) = await Cli.Run("report", "monthly", "--store", _store, "--month", month, "--format", "xlsx", "--output", xlsx);
        Assert.True(code == 0, err);

        Assert.Equal(["概况", "分机构", "违规按规则", "暂停与恢复", "账户变更"], MiniExcel.GetSheetNames(xlsx));
        var summary = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "概况").Cast<IDictionary<string, object?>>()
            .ToDictionary(r => r["项目"]!.ToString()!, r => Convert.ToInt32(r["数值"], System.Globalization.CultureInfo.InvariantCulture));
        // The simulated month is long past: the sheet signed today was signed late, every other one is overdue.
        Assert.Equal(figures.Sheets.Count, summary["应核查日表"]);
        Assert.Equal((0, 1, figures.Sheets.Count - 1, 0), (summary["按时签核"], summary["逾期签核"], summary["逾期未签"], summary["未到期未签"]));
        Assert.Equal(figures.Days.Sum(d => d.ReadsTotal), summary["查询"]);
        Assert.Equal(figures.Alerts.Sum(a => a.Count), summary["发现"]);
        Assert.Equal(_sheet.Items.Count(i => i.Kind == SheetItem.Finding), summary["核查违规"]);
        var branches = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "分机构").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("合计", branches[^1]["机构"]);
        Assert.Equal(summary["查询"], Convert.ToInt32(branches[^1]["查询"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(figures.Sheets.Select(s => s.BranchId).Distinct().Count(), branches.Count - 1);
    }

    [Fact]
    public async Task The_printable_page_opens_in_chromium_with_the_users_and_the_total()
    {
        var html = Path.Combine(_dir.FullName, "daily.html");
        var (code, err) = await Cli.Run("report", "daily", "--store", _store, "--branch", _sheet.BranchId, "--day", _sheet.Day, "--format", "html", "--output", html);
        Assert.True(code == 0, err);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Browser.Options());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        await page.GotoAsync(new Uri(html).AbsoluteUri);

        Assert.Equal($"征信查询日核查表 {_sheet.BranchId} {_sheet.Day}", await page.TitleAsync());
        var firstTable = page.Locator("section").First.Locator("tbody tr");
        Assert.Equal(_sheet.Users.Count + 1, await firstTable.CountAsync());
        var total = firstTable.Last;
        Assert.Equal("合计", await total.Locator("td").First.InnerTextAsync());
        Assert.Equal(_sheet.Totals.ReadsTotal.ToString(System.Globalization.CultureInfo.InvariantCulture), await total.Locator("td").Nth(2).InnerTextAsync());
        Assert.Equal(["用户查询", "核查项", "签核", "分级汇总"], await page.Locator("h2").AllInnerTextsAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.Screenshot("daily-report.png"), FullPage = true });
    }
}
