using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monitor.Api;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests.Console;

/// <summary>
/// The console for those who read (issue 17): an auditor sees every page but can act on none (no button offers it, and
/// the API refuses the key), searches the audit log and exports it as CSV; an analyst compares the alerts per rule per
/// day of the live settings with a candidate's alerts file; and the language switch turns every page from Chinese
/// (the default) into English.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleReaderTests(ConsoleBank bank)
{
    private const string ActionButtons = "[data-act], [data-case-act], [data-bulk], [data-reinstate], [data-reopen], [data-verdict], [data-bulk-verdict], #sign, #note-text, input[data-case]";

    [Fact]
    public async Task An_auditor_sees_every_page_without_a_way_to_act_and_the_api_refuses_it_and_exports_the_audit_log_as_csv()
    {
        var page = await bank.SignInAsync(ConsoleBank.AuditorKey);
        await page.WaitForSelectorAsync("#audit");
        var spike = (await bank.CasesAsync()).Where(c => c.Kind == AlertCases.BranchKind).MaxBy(c => c.Alerts.Count)!;
        var sheet = (await bank.Store.SheetsAsync(null, "2000-01-01"))[0];
        foreach (var (hash, ready) in new[]
        {
            ("#/queue?state=all", "#queue"), ($"#/alert/{spike.Alerts[0].Alert.AlertId}", "#case-alerts"), ("#/suspensions?state=all", "#suspensions"),
            ("#/branches", "#shut-branches"), ("#/sheets?from=2026-03-01", "#sheets"), ($"#/sheet/{sheet.BranchId}/{sheet.Day}", "#sheet-items"),
        })
        {
            await ConsoleCollection.Go(page, bank, hash);
            await page.WaitForSelectorAsync(ready);
            Assert.True(await page.Locator(ActionButtons).CountAsync() == 0, $"{hash} offers the auditor an action");
        }
        // The page's own key, used as a page would: the API refuses every change.
        var status = await page.EvaluateAsync<int>("""
            id => fetch(`/api/alerts/${id}/dismiss`, { method: 'POST', headers: { Authorization: 'Bearer ' + sessionStorage.getItem('monitor.key'), 'Content-Type': 'application/json' },
              body: JSON.stringify({ reason: 'auditor tries' }) }).then(r => r.status)
            """, spike.Alerts[0].Alert.AlertId);
        Assert.Equal(403, status);
        Assert.Equal(AlertStates.Open, (await bank.Store.AlertAsync(spike.Alerts[0].Alert.AlertId))!.State);

        // The audit log, filtered by action: the rows the store holds; then exported, the same rows as CSV.
        await ConsoleCollection.Go(page, bank, "#/audit?action=suspend");
        var suspensions = await bank.Store.SearchAuditAsync(new AuditQuery { Action = "suspend" });
        Assert.True(suspensions.Total > 0);
        Assert.Equal($"共 {suspensions.Total} 条符合条件的记录。", await page.InnerTextAsync("#audit-total"));
        Assert.Equal(suspensions.Entries.Select(e => e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await page.Locator("#audit tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.seq)"));
        Assert.StartsWith("审计日志完整", await page.InnerTextAsync("#chain"));
        await ConsoleBank.ScreenshotAsync(page, "audit");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]); // Excel reads the Chinese reasons as UTF-8
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("seq,time,actor,role,action,target,reason,detail", lines[0]);
        Assert.Equal(suspensions.Total, lines.Length - 1);
        var firstRow = suspensions.Entries.MinBy(e => e.Seq)!;
        Assert.StartsWith($"{firstRow.Seq},{TimeZoneInfo.ConvertTime(firstRow.At, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")):yyyy-MM-dd'T'HH:mm:ss.fff}+08:00,monitor,system,suspend,{firstRow.Target},", lines[1]);
    }

    [Fact]
    public async Task An_analyst_compares_the_alerts_per_rule_per_day_with_a_candidates_alerts_file()
    {
        var page = await bank.SignInAsync(ConsoleBank.AnalystKey);
        await ConsoleCollection.Go(page, bank, "#/analysis?from=2026-03-02&to=2026-03-08");
        var live = (await bank.Store.RuleDaysAsync("2026-03-02", "2026-03-08", null)).GroupBy(r => r.Rule).ToDictionary(g => g.Key, g => g.Sum(r => r.Alerts));
        await page.SetInputFilesAsync("#candidate-file", bank.CandidateAlerts);
        await page.WaitForSelectorAsync("#candidate-name");
        var candidate = File.ReadLines(bank.CandidateAlerts).Select(l => JsonDocument.Parse(l).RootElement)
            .DistinctBy(a => a.GetProperty("alertId").GetString()).GroupBy(a => a.GetProperty("rule").GetString()!).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.NotEqual(live.GetValueOrDefault("VOLUME_SPIKE"), candidate.GetValueOrDefault("VOLUME_SPIKE")); // the candidate's looser threshold shows
        foreach (var rule in live.Keys.Union(candidate.Keys))
        {
            var cells = await page.Locator($"#rule-days tr[data-rule='{rule}'] td.num").AllInnerTextsAsync();
            var (l, c) = (live.GetValueOrDefault(rule), candidate.GetValueOrDefault(rule));
            Assert.Equal([$"{l}", $"{c}", c - l > 0 ? $"+{c - l}" : $"{c - l}"], cells);
        }
        Assert.Equal(7, await page.Locator("#rule-days tr[data-rule='VOLUME_SPIKE'] svg rect.live").CountAsync()); // a bar a day
        await ConsoleBank.ScreenshotAsync(page, "analysis");
    }

    [Fact]
    public async Task The_language_switch_turns_every_page_from_chinese_into_english_and_back()
    {
        var page = await bank.NewPageAsync();
        await page.GotoAsync(bank.Api.Address.ToString());
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        await ConsoleCollection.Rendered(page, () => page.ClickAsync("#lang"));
        Assert.Equal("Sign in to the console", await page.InnerTextAsync("#signin h1"));
        await ConsoleCollection.Rendered(page, () => page.ClickAsync("#lang"));
        Assert.Equal("登录工作台", await page.InnerTextAsync("#signin h1"));
        await page.FillAsync("#key", ConsoleBank.AuditorKey);
        await ConsoleCollection.Rendered(page, () => page.ClickAsync("#signin button[type=submit]"));

        var spike = (await bank.CasesAsync()).Where(c => c.Kind == AlertCases.BranchKind).MaxBy(c => c.Alerts.Count)!;
        var user = spike.Alerts.First(a => a.Alert.EntityType == "user").Alert.AlertId;
        var sheet = (await bank.Store.SheetsAsync(null, "2000-01-01"))[0];
        var sheetBranch = (await bank.Store.NamesAsync([sheet.BranchId], [], [])).Branch(sheet.BranchId);
        (string Hash, string Ready, string Zh, string En)[] pages =
        [
            ("#/queue?state=all", "#queue", "告警队列", "Alert queue"),
            ($"#/alert/{user}", "#reads-chart svg", "说明", "Explanation"),
            ("#/suspensions?state=all", "#suspensions", "暂停与恢复", "Suspensions"),
            ("#/branches", "#shut-branches", "暂停阀门", "Valve-stopped branches"),
            ("#/sheets?from=2026-03-01", "#sheets", "日核查表", "Daily sheets"),
            ($"#/sheet/{sheet.BranchId}/{sheet.Day}", "#sheet-items", $"{sheetBranch} {sheet.BranchId} {sheet.Day} 日核查表", $"Daily sheet of {sheetBranch} {sheet.BranchId} for {sheet.Day}"),
            ("#/analysis?from=2026-03-02&to=2026-03-08", "#rule-days", "规则分析", "Rule analysis"),
            ("#/audit", "#audit", "审计日志", "Audit log"),
        ];
        foreach (var (hash, ready, zh, en) in pages)
        {
            await ConsoleCollection.Go(page, bank, hash);
            await page.WaitForSelectorAsync(ready);
            Assert.Contains(zh, await Headings(page));
            await ConsoleCollection.Rendered(page, () => page.ClickAsync("#lang"));
            await page.WaitForSelectorAsync(ready);
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
            Assert.Contains(en, await Headings(page));
            // Every word of the page in English: no Chinese left in the menu or the page but the bank's own names of its
            // branches and people (data, shown as the directory writes them; the rest of a simulated bank's data has none).
            var text = await page.InnerTextAsync("#main") + await page.InnerTextAsync("#bar nav");
            var shownNames = (await page.Locator(".id.named .name").AllInnerTextsAsync()).Append(sheetBranch).OfType<string>().OrderByDescending(n => n.Length);
            foreach (var name in shownNames) text = text.Replace(name, "", StringComparison.Ordinal);
            var han = HanRun().Match(text);
            Assert.False(han.Success, $"{hash} in English still shows '{han.Value}' in: …{(han.Success ? text.Substring(Math.Max(0, han.Index - 60), Math.Min(120, text.Length - Math.Max(0, han.Index - 60))) : "")}…");
            await ConsoleBank.ScreenshotAsync(page, "en-" + ready.TrimStart('#').Split(' ')[0]);
            await ConsoleCollection.Rendered(page, () => page.ClickAsync("#lang"));
            Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        }
    }

    private static async Task<string> Headings(IPage page) => string.Join("\n", await page.Locator("#main h1, #main h2").AllInnerTextsAsync());

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}+")]
    private static partial Regex HanRun();
}
