using System.Globalization;
using Monitor.Store;

namespace Monitor.Reports;

/// <summary>
/// The daily verification report of one branch and day (日核查表): the users' figures with a totals row (the first
/// table, which is the XLSX's first sheet), the items and their verdicts, the sign-off, and the roll-up of the
/// branch and the branches below it for that day. Pure: the same sheet gives the same report.
/// </summary>
public static class DailyReport
{
    public static Report Build(DaySheet sheet, IReadOnlyList<LevelRow> rollUp, ReportLanguage l, TimeZoneInfo zone, DateTimeOffset madeAt)
    {
        string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var purposes = sheet.Totals.Reads.Keys.Order(StringComparer.Ordinal).ToList();
        var userHeaders = new List<string> { l.T("用户", "User"), l.T("员工", "Employee"), l.T("查询合计", "Reads") };
        userHeaders.AddRange(purposes.Select(p => Names.Purpose(p, l)));
        userHeaders.AddRange([l.T("需授权", "Needing authorization"), l.T("已授权", "Authorized"), l.T("非工作时间", "Off hours"), l.T("查询失败", "Refused"),
            l.T("登录", "Logins"), l.T("登录失败", "Login failures"), l.T("账户变更", "Account changes"), l.T("登记簿条目", "Register entries"),
            l.T("未登记查询", "Reads without entry"), l.T("发现", "Findings")]);
        var missing = l.T("缺失", "missing");
        IReadOnlyList<object?> Row(DaySheetRow r, string? name) =>
        [
            name ?? r.UserId, r.EmployeeId, r.ReadsTotal, .. purposes.Select(p => (object?)r.Reads.GetValueOrDefault(p)),
            r.NeedingAuthorization, r.Authorized, r.OffHours, r.Refused, r.Logins, r.LoginFailures, r.AccountChanges,
            (object?)r.RegisterEntries ?? missing, (object?)r.WithoutEntry ?? missing, r.Findings,
        ];
        var registerNote = sheet.RegisterFeed == "present"
            ? l.T("登记簿：逐笔核对查询审批登记簿，未登记查询见发现。", "Register: reads matched one for one with the approval register; reads without an entry are findings.")
            : l.T("查询审批登记簿数据缺失（未接入或当日未送达）：系统未核对登记簿，请人工核对。",
                "The approval register is missing (no feed, or nothing arrived that day): the monitor did not reconcile it; check the paper register by hand.");
        var users = new ReportTable(l.T("用户查询", "Users"), userHeaders, [.. sheet.Users.Select(u => Row(u, null)), Row(sheet.Totals, l.T("合计", "Total"))])
        {
            HasTotals = true,
            Note = l.T("当日有操作的每个用户一行：查询按用途统计，最后一行为合计。", "One row per user active that day, reads by purpose; the last row is the total.") + " " + registerNote,
        };

        var items = new ReportTable(l.T("核查项", "Items"),
            [l.T("编号", "Item"), l.T("类型", "Kind"), l.T("用户", "User"), l.T("时间", "Time"), l.T("规则", "Rule"), l.T("严重程度", "Severity"), l.T("说明", "Details"),
             l.T("核查结论", "Verdict"), l.T("理由", "Reason"), l.T("核查人", "By"), l.T("更正", "Corrections")],
            [.. sheet.Items.Select(i => (IReadOnlyList<object?>)
            [
                i.ItemId, i.Kind == SheetItem.Finding ? l.T("发现", "finding") : l.T("抽查", "spot check"), i.UserId, Local(i.At), i.Rule,
                i.Severity is { } s ? Names.Severity(s, l) : null,
                i.Kind == SheetItem.Finding ? i.Explanations?.In(l.Tag) ?? i.Explanation : $"{Names.Purpose(i.Purpose ?? "unstated", l)} · {i.SubjectId} · {l.T("授权", "authorization")} {i.AuthorizationId ?? "—"}",
                i.Verdict is { } v ? Names.Verdict(v.Verdict, l) : l.T("未核查", "none yet"), i.Verdict?.Reason, i.Verdict?.By,
                string.Join("; ", i.Corrections.Select(c => $"{Names.Verdict(c.Verdict, l)}: {c.Reason} ({c.By}, {Local(c.At)})")),
            ])])
        { Note = l.T("每条发现和每个抽查查询都需要核查结论。", "Every finding and every spot-checked report needs a verdict.") };

        var status = sheet.Status;
        var signOff = new ReportTable(l.T("签核", "Sign-off"), [l.T("项目", "Field"), l.T("内容", "Value")],
        [
            [l.T("机构", "Branch"), sheet.BranchId], [l.T("日期", "Day"), sheet.Day],
            [l.T("状态", "State"), status.Signed ? l.T("已签核", "signed") : l.T("未签核", "not signed")],
            [l.T("签核人", "Signed by"), status.SignedBy], [l.T("签核时间", "Signed at"), status.SignedAt is { } at ? Local(at) : null],
            [l.T("备注", "Note"), status.Note],
            [l.T("升级", "Escalated to"), Names.Escalation(status.Escalation, l)],
            [l.T("查询审批登记簿", "Approval register"), sheet.RegisterFeed == "present" ? l.T("已接入", "present") : l.T("缺失", "missing")],
            [l.T("核查项", "Items"), sheet.Items.Count], [l.T("未核查", "Without verdict"), sheet.Undecided],
            [l.T("违规", "Violations"), sheet.Violations],
        ]);

        var levels = new ReportTable(l.T("分级汇总", "By level"),
            [l.T("机构", "Branch"), l.T("上级机构", "Parent"), l.T("应核查", "Sheets due"), l.T("已签核", "Signed"), l.T("逾期", "Late"), l.T("核查项", "Items"), l.T("违规", "Violations")],
            [.. rollUp.Select(r => (IReadOnlyList<object?>)[r.BranchId, r.ParentId, r.Due, r.Signed, r.Late, r.Items, r.Violations]),
             [l.T("合计", "Total"), null, rollUp.Sum(r => r.Due), rollUp.Sum(r => r.Signed), rollUp.Sum(r => r.Late), rollUp.Sum(r => r.Items), rollUp.Sum(r => r.Violations)]])
        { HasTotals = true, Note = l.T("本机构及其下辖机构当日的核查情况。", "This branch and the branches below it, that day.") };

        return new Report(l.T($"征信查询日核查表 {sheet.BranchId} {sheet.Day}", $"Daily verification of credit queries, {sheet.BranchId}, {sheet.Day}"),
            [l.T($"机构：{sheet.BranchId}　日期：{sheet.Day}", $"Branch: {sheet.BranchId}; day: {sheet.Day}"), l.T($"生成时间：{Local(madeAt)}", $"Made: {Local(madeAt)}")],
            [users, items, signOff, levels], l);
    }
}

/// <summary>One branch's line of a roll-up: its sheets due in the period, signed, late (escalated), items and violations.</summary>
public sealed record LevelRow(string BranchId, string? ParentId, int Due, int Signed, int Late, int Items, int Violations);
