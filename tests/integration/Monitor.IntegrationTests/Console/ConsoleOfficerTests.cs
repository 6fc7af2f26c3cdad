using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monitor.Api;
using Monitor.Store;
using Xunit;
using static Monitor.IntegrationTests.Console.ConsoleCollection;

namespace Monitor.IntegrationTests.Console;

/// <summary>
/// An officer's day in the console (issue 17), in Debian's Chromium at 1366×768: signing in with a key, working the queue
/// (one row per case: the branch spike's alerts are one row), acknowledging, confirming, dismissing with a reason and
/// dismissing in bulk; reading a case with its evidence and the user's timeline, adding a note, assigning the case;
/// reinstating a user, reopening a branch the safety valve stopped; signing a daily sheet. What each click did is read
/// back from the store.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleOfficerTests(ConsoleBank bank)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task An_officer_signs_in_and_works_the_queue_one_case_a_row_acknowledging_confirming_dismissing_with_a_reason_and_in_bulk()
    {
        var page = await bank.NewPageAsync();
        await page.GotoAsync(bank.Api.Address.ToString());
        Assert.Equal("登录工作台", await page.InnerTextAsync("#signin h1"));
        await ConsoleBank.ScreenshotAsync(page, "signin");
        await page.FillAsync("#key", "mk_not_a_key");
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForSelectorAsync("#signin-error", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });
        Assert.Equal("密钥无效或已被撤销。", await page.InnerTextAsync("#signin-error"));
        await page.FillAsync("#key", ConsoleBank.OfficerKey);
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForSelectorAsync("#queue");
        Assert.Contains("officer-wang", await page.InnerTextAsync("#who"));
        Assert.Equal(ConsoleBank.OfficerKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('monitor.key')"));

        // One row per case, as AlertCases groups the store's open alerts; the branch spike's alerts are one row.
        var cases = await bank.CasesAsync(AlertStates.Open);
        var spike = cases.Where(c => c.Kind == AlertCases.BranchKind).MaxBy(c => c.Alerts.Count)!;
        Assert.True(spike.Alerts.Count >= 5, $"the branch spike has {spike.Alerts.Count} alerts");
        Assert.Equal(cases.Count, await page.Locator("#queue tbody tr[data-case]").CountAsync());
        var spikeRow = page.Locator($"#queue tr[data-case='{spike.CaseId}']");
        Assert.Contains($"{spike.Alerts.Count} 条告警", await spikeRow.InnerTextAsync());
        // The bank's names beside the ids (simulate --names, import-names): the sub-branch's Chinese name, a user's holder.
        var names = await bank.Store.NamesAsync(cases.Select(c => c.BranchId), cases.Select(c => c.UserId), []);
        var spikeBranch = names.Branch(spike.BranchId);
        Assert.Matches("^[\u4e00-\u9fff]+支行$", spikeBranch);
        Assert.Contains($"{spikeBranch} {spike.BranchId}", await spikeRow.InnerTextAsync());
        var userCase = cases.First(c => c.Kind == AlertCases.UserKind && names.User(c.UserId) is not null);
        Assert.Contains($"{names.User(userCase.UserId)} {userCase.UserId}", await page.Locator($"#queue tr[data-case='{userCase.CaseId}']").InnerTextAsync());
        Assert.Equal($"第 1/1 页 · 共 {cases.Count} 个案件（{cases.Sum(c => c.Alerts.Count)} 条告警）", await page.InnerTextAsync("#queue-summary"));
        await ConsoleBank.ScreenshotAsync(page, "queue", fullPage: false);

        // The filters: a branch and those below it; a rule.
        await page.FillAsync("#queue-filters input[name=branch]", spike.BranchId!);
        await Rendered(page, () => page.ClickAsync("#queue-filters button[type=submit]"));
        Assert.Contains("branch=" + spike.BranchId, page.Url);
        Assert.Equal(cases.Count(c => c.Alerts.Any(a => a.Alert.BranchId == spike.BranchId)), await page.Locator("#queue tbody tr[data-case]").CountAsync());
        await Go(page, bank, "#/queue?rule=OFF_HOURS");
        var offHours = cases.Where(c => c.Rules.Contains("OFF_HOURS")).ToList();
        Assert.Equal(offHours.Count, await page.Locator("#queue tbody tr[data-case]").CountAsync());

        var users = cases.Where(c => c.Kind == AlertCases.UserKind && c.Alerts.Count == 1).ToList();
        var (acknowledge, dismiss) = (Of(users, "OFF_HOURS", 0), Of(users, "OFF_HOURS", 1));
        var (confirm, bulk1) = (Of(users, "NO_AUTHORIZATION", 0), Of(users, "NO_AUTHORIZATION", 1));
        var bulk2 = Of(users, "VOLUME_SPIKE", 0);

        // Acknowledge, from the alert's page.
        await OpenAlert(page, acknowledge);
        await page.ClickAsync("#alert-actions [data-act=acknowledge]");
        await ConfirmDialog(page);
        Assert.True(await Eventually(async () => (await bank.Store.AlertAsync(acknowledge))!.State == AlertStates.Acknowledged));
        await page.WaitForSelectorAsync("text=已受理");

        // Confirm as a violation.
        await OpenAlert(page, confirm);
        await page.ClickAsync("#alert-actions [data-act=confirm]");
        await ConfirmDialog(page, "与客户核实，无授权书");
        Assert.True(await Eventually(async () => (await bank.Store.AlertAsync(confirm))!.State == AlertStates.Confirmed));
        Assert.Contains(await bank.Store.LabelsAsync("NO_AUTHORIZATION"), l => l.AlertId == confirm && l.Verdict == "violation" && l.By == "officer-wang");

        // Dismiss: the reason is required; the button stays disabled until one is typed.
        await OpenAlert(page, dismiss);
        await page.ClickAsync("#alert-actions [data-act=dismiss]");
        await page.WaitForSelectorAsync("dialog.ask[open]");
        Assert.True(await page.IsDisabledAsync("#dialog-confirm"));
        await ConfirmDialog(page, "网点延时营业，经支行行长批准");
        Assert.True(await Eventually(async () => (await bank.Store.AlertAsync(dismiss))!.State == AlertStates.Dismissed));
        Assert.Equal("网点延时营业，经支行行长批准", (await bank.Store.AlertAsync(dismiss))!.StateReason);

        // A bulk dismissal of two cases from the queue: every alert of each, one audit row each.
        await Go(page, bank, "#/queue");
        Assert.True(await page.IsDisabledAsync("#bulk [data-bulk=dismiss]"));
        foreach (var id in new[] { bulk1, bulk2 }) await page.CheckAsync($"#queue input[data-case='{CaseOf(cases, id).CaseId}']");
        Assert.Equal("已选 2 个案件", await page.InnerTextAsync("#selected-count"));
        await page.ClickAsync("#bulk [data-bulk=dismiss]");
        await ConfirmDialog(page, "批量排除：月末对账");
        foreach (var id in new[] { bulk1, bulk2 })
            Assert.True(await Eventually(async () => (await bank.Store.AlertAsync(id))!.State == AlertStates.Dismissed), id);
        var audit = await bank.Store.SearchAuditAsync(new AuditQuery { Action = "dismiss", Actor = "officer-wang", Limit = 100 });
        Assert.Equal(3, audit.Total);
        Assert.Equal(2, audit.Entries.Count(e => e.Reason == "批量排除：月末对账"));
        // The queue of open cases no longer lists them.
        await page.WaitForSelectorAsync($"#queue tr[data-case='{CaseOf(cases, bulk1).CaseId}']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        Assert.Equal(0, await page.Locator($"#queue tr[data-case='{CaseOf(cases, confirm).CaseId}']").CountAsync());
    }

    [Fact]
    public async Task An_officer_reads_a_case_with_its_evidence_in_local_time_and_the_users_timeline_adds_a_note_and_assigns_the_case()
    {
        var page = await bank.SignInAsync(ConsoleBank.OfficerKey);
        var spike = (await bank.CasesAsync()).Where(c => c.Kind == AlertCases.BranchKind).MaxBy(c => c.Alerts.Count)!;
        // The queue's row opens the case's most severe alert; the case lists all of them, and each opens from there.
        await Rendered(page, () => page.ClickAsync($"#queue tr[data-case='{spike.CaseId}'] a.case-link"));
        Assert.Equal(spike.Alerts[0].Alert.AlertId, Uri.UnescapeDataString(page.Url.Split("#/alert/")[1]));
        Assert.Equal(spike.Alerts.Count, await page.Locator("#case-alerts li").CountAsync());
        var alert = spike.Alerts.Skip(1).First(a => a.Alert.EntityType == "user").Alert;
        await Rendered(page, () => page.ClickAsync($"#case-alerts a[href='#/alert/{alert.AlertId}']"));

        Assert.Equal(alert.ExplanationIn("zh-CN"), await page.InnerTextAsync("#explanation")); // Chinese by default (the English text when an alert has only that)
        // The user and the branch named beside their ids, as the bank's directory names them.
        var names = await bank.Store.NamesAsync([alert.BranchId], [alert.UserId], []);
        var facts = await page.InnerTextAsync(".main-col .facts");
        Assert.Contains($"{names.User(alert.UserId)} {alert.UserId}", facts);
        Assert.Contains($"{names.Branch(alert.BranchId)} {alert.BranchId}", facts);
        Assert.Contains($"{names.Branch(alert.BranchId)} {alert.BranchId}", await page.InnerTextAsync(".side-col .facts"));
        // The evidence, inline: each event with its fields named (in Chinese) and its time in the bank's zone, though the browser is in London's.
        var evidence = bank.Events.Where(e => alert.Evidence.Contains(e.EventId)).ToList();
        Assert.NotEmpty(evidence);
        Assert.Equal(evidence.Count, await page.Locator("#evidence tbody tr").CountAsync());
        var first = evidence[0];
        var row = page.Locator($"#evidence tr[data-event='{first.EventId}']");
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal(TimeZoneInfo.ConvertTime(first.OccurredAt, Shanghai).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), cells[0]);
        Assert.Equal("查询", cells[1]);
        Assert.DoesNotContain(cells, c => Regex.IsMatch(c, @"^\d+$")); // no enum numbers

        // The timeline: a bar per closed day of the user, the alert's day marked, the usual level drawn once there is history.
        var days = (await bank.Store.UserReadsAsync(alert.UserId!)).Select(d => d.Day).Distinct().ToList();
        await page.WaitForSelectorAsync("#reads-chart svg");
        Assert.Equal(days.Count, await page.Locator("#reads-chart rect.bar[data-day]").CountAsync());
        Assert.Equal(alert.Day, await page.GetAttributeAsync("#reads-chart rect.bar.mark[data-day]", "data-day"));
        Assert.Equal(1, await page.Locator("#reads-chart polyline.usual").CountAsync());
        var reads = DailyReads.Of(await bank.Store.UserReadsAsync(alert.UserId!)).Single(p => p.Day == alert.Day).Reads;
        Assert.Contains($"查询 {reads} 次", await page.TextContentAsync($"#reads-chart rect[data-day='{alert.Day}'] title"));

        // A note, and the whole case given to another officer.
        await page.FillAsync("#note-text", "已电话联系网点负责人，核实为集中补录");
        await page.ClickAsync(".note-form button[type=submit]");
        await page.WaitForSelectorAsync("#notes li");
        Assert.Contains("已电话联系网点负责人，核实为集中补录", await page.InnerTextAsync("#notes"));
        Assert.Contains(await bank.Store.NotesAsync([alert.AlertId]), n => n.By == "officer-wang" && n.Text == "已电话联系网点负责人，核实为集中补录");
        await page.ClickAsync("#case-actions [data-case-act=assign]");
        await ConfirmDialog(page, choice: "officer-li");
        Assert.True(await Eventually(async () => (await bank.Store.AssignmentsAsync([.. spike.Alerts.Select(a => a.Alert.AlertId)])).Values.Count(a => a.Officer == "officer-li") == spike.Alerts.Count));
        await page.WaitForSelectorAsync(".side-col dd:text('officer-li')");
        await ConsoleBank.ScreenshotAsync(page, "alert");
        await page.SetViewportSizeAsync(1366, 768);
        await ConsoleBank.ScreenshotAsync(page, "alert-screen", fullPage: false);
    }

    [Fact]
    public async Task An_officer_reinstates_a_suspended_user_and_reopens_a_branch_the_safety_valve_stopped()
    {
        var page = await bank.SignInAsync(ConsoleBank.OfficerKey);
        var active = await bank.Store.SuspensionsAsync(true);
        Assert.NotEmpty(active);
        var user = active[0].UserId;
        await Rendered(page, () => page.ClickAsync("[data-nav=suspensions]"));
        Assert.Equal(active.Count, await page.Locator("#suspensions tbody tr[data-user]").CountAsync());
        var names = await bank.Store.NamesAsync(active.Select(s => s.BranchId), [user], []);
        var suspended = await page.InnerTextAsync($"#suspensions tr[data-user='{user}']");
        Assert.Contains($"{names.User(user)} {user}", suspended);
        Assert.Contains($"{names.Branch(active[0].BranchId)} {active[0].BranchId}", suspended);
        await ConsoleBank.ScreenshotAsync(page, "suspensions");
        await page.ClickAsync($"[data-reinstate='{user}']");
        await ConfirmDialog(page, "经核实为批量补录，恢复权限");
        Assert.True(await Eventually(async () => (await bank.Store.SuspensionOfAsync(user))!.Active == false));
        Assert.Equal("经核实为批量补录，恢复权限", (await bank.Store.SuspensionOfAsync(user))!.EndedReason);
        lock (bank.Sent) Assert.Contains(bank.Sent, c => c.Action == "reinstate" && c.UserId == user);
        await page.WaitForSelectorAsync($"[data-reinstate='{user}']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });

        var shut = await bank.Store.ShutBranchesAsync();
        Assert.NotEmpty(shut);
        await Rendered(page, () => page.ClickAsync("[data-nav=branches]"));
        Assert.Equal(shut, await page.Locator("#shut-branches tbody tr[data-branch]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.branch)"));
        var shutName = (await bank.Store.NamesAsync(shut, [], [])).Branch(shut[0]);
        Assert.Contains($"{shutName} {shut[0]}", await page.InnerTextAsync($"#shut-branches tr[data-branch='{shut[0]}']"));
        await ConsoleBank.ScreenshotAsync(page, "branches");
        await page.ClickAsync($"[data-reopen='{shut[0]}']");
        await ConfirmDialog(page, "故障已排除，恢复自动暂停");
        Assert.True(await Eventually(async () => !(await bank.Store.ShutBranchesAsync()).Contains(shut[0])));
        lock (bank.Reopened) Assert.Contains(shut[0], bank.Reopened);
        Assert.Contains((await bank.Store.SearchAuditAsync(new AuditQuery { Action = "valve-reopen" })).Entries, e => e.Target == shut[0] && e.Reason == "故障已排除，恢复自动暂停");
    }

    [Fact]
    public async Task An_officer_gives_the_verdicts_of_a_daily_sheet_and_signs_it()
    {
        // A day without findings (its alerts are other tests'), with spot checks to decide.
        var sheets = await bank.Store.SheetsAsync(null, "2000-01-01");
        DaySheet? sheet = null;
        foreach (var s in sheets)
            if (await bank.Store.SheetAsync(s.BranchId, s.Day) is { Findings.Count: 0, Items.Count: > 1 } candidate && (sheet is null || candidate.Items.Count < sheet.Items.Count))
                sheet = candidate;
        Assert.NotNull(sheet);
        var page = await bank.SignInAsync(ConsoleBank.OfficerKey);
        await Rendered(page, () => page.ClickAsync("[data-nav=sheets]"));
        await page.FillAsync("input[name=from]", "2026-03-01");
        await Rendered(page, () => page.ClickAsync("form.filters button[type=submit]"));
        Assert.Equal(sheets.Count, await page.Locator("#sheets tbody tr[data-sheet]").CountAsync());
        await ConsoleBank.ScreenshotAsync(page, "sheets");
        await Rendered(page, () => page.ClickAsync($"#sheets tr[data-sheet='{sheet.BranchId}/{sheet.Day}'] a"));
        Assert.Equal(sheet.Users.Count + 1, await page.Locator("#sheet-users tbody tr").CountAsync());
        Assert.Equal(sheet.Items.Count, await page.Locator("#sheet-items tbody tr").CountAsync());
        Assert.True(await page.IsDisabledAsync("#sign"));

        // One verdict by hand, a violation; the rest at once.
        await page.ClickAsync($"[data-verdict='{sheet.Items[0].ItemId}']");
        await ConfirmDialog(page, "登记簿无此记录", "violation");
        await page.WaitForSelectorAsync($"tr[data-item='{sheet.Items[0].ItemId}'] .verdict-violation");
        await page.ClickAsync("[data-bulk-verdict=spot-check]");
        await ConfirmDialog(page, "与登记簿逐笔核对一致");
        await page.WaitForSelectorAsync("#sign:not([disabled])");
        await page.ClickAsync("#sign");
        await ConfirmDialog(page, "已核查");
        Assert.True(await Eventually(async () => (await bank.Store.SheetAsync(sheet.BranchId, sheet.Day))!.Status.SignedBy == "officer-wang"));
        var signed = (await bank.Store.SheetAsync(sheet.BranchId, sheet.Day))!;
        Assert.Equal(ItemVerdict.Violation, signed.Items[0].Verdict!.Verdict);
        Assert.All(signed.Items.Skip(1), i => Assert.Equal(("legitimate", "与登记簿逐笔核对一致"), (i.Verdict!.Verdict, i.Verdict.Reason)));
        await page.WaitForSelectorAsync("text=officer-wang");
        await ConsoleBank.ScreenshotAsync(page, "sheet");
    }

    private async Task OpenAlert(IPage page, string alertId)
    {
        await Go(page, bank, "#/alert/" + Uri.EscapeDataString(alertId));
    }

    /// <summary>The <paramref name="n"/>-th single-alert user case of <paramref name="rule"/>: its alert's id.</summary>
    private static string Of(List<AlertCase> cases, string rule, int n)
    {
        var of = cases.Where(c => c.Rules.SequenceEqual([rule])).OrderBy(c => c.CaseId, StringComparer.Ordinal).ToList();
        Assert.True(of.Count > n, $"{of.Count} single-alert cases of {rule}");
        return of[n].Alerts[0].Alert.AlertId;
    }

    private static AlertCase CaseOf(List<AlertCase> cases, string alertId) => cases.First(c => c.Alerts.Any(a => a.Alert.AlertId == alertId));
}
