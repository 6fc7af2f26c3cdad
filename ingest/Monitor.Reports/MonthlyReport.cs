using System.Globalization;
using Monitor.Store;

namespace Monitor.Reports;

/// <summary>
/// The monthly compliance summary for the areas of the 102号文 annual rating that the monitor sees (user management,
/// query operations): the month at a glance, each branch's figures and sign-off record, violations by rule, the
/// suspensions and reinstatements, and the accounts that changed. Scoped to a branch and those below it, or the bank.
/// </summary>
public static class MonthlyReport
{
    /// <param name="m">The month as the store holds it.</param>
    /// <param name="scope">The branches covered; null: the bank.</param>
    /// <param name="scopeName">The branch the scope is below, for the title.</param>
    /// <param name="l">The report's language.</param>
    /// <param name="zone">The bank's time zone.</param>
    /// <param name="madeAt">Now: what is overdue is judged at this moment.</param>
    /// <param name="due">When a day's sheet had to be signed (the working-day calendar's deadline).</param>
    public static Report Build(MonthFigures m, IReadOnlySet<string>? scope, string? scopeName, ReportLanguage l, TimeZoneInfo zone, DateTimeOffset madeAt, Func<DateOnly, DateTimeOffset> due)
    {
        var deadlines = m.Sheets.Select(s => s.Day).Distinct().ToDictionary(d => d, d => due(DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
        DateTimeOffset Due(MonthSheet s) => deadlines[s.Day]; // one deadline per day, not one per sheet and question
        bool InTime(MonthSheet s) => s.SignedAt is { } at && at <= Due(s);
        bool Late(MonthSheet s) => s.SignedAt is { } at && at > Due(s);
        bool Overdue(MonthSheet s) => s.SignedAt is null && madeAt > Due(s);
        bool NotYetDue(MonthSheet s) => s.SignedAt is null && madeAt <= Due(s);
        string Local(DateTimeOffset? t) => t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
        bool In(string? branch) => scope is null || (branch is not null && scope.Contains(branch));
        var days = m.Days.Where(d => In(d.BranchId)).ToList();
        var sheets = m.Sheets.Where(s => In(s.BranchId)).ToList();
        var alerts = m.Alerts.Where(a => In(a.BranchId)).ToList();
        var verdicts = m.Verdicts.Where(v => In(v.BranchId)).ToList();
        var suspensions = m.Suspensions.Where(s => In(s.BranchId)).ToList();
        var parents = days.GroupBy(d => d.BranchId).ToDictionary(g => g.Key, g => g.Select(d => d.ParentBranchId).FirstOrDefault(p => p is not null));

        var branches = sheets.Select(s => s.BranchId).Distinct().Order(StringComparer.Ordinal).Select(b =>
        {
            var own = sheets.Where(s => s.BranchId == b).ToList();
            var ownDays = days.Where(d => d.BranchId == b).ToList();
            return (IReadOnlyList<object?>)
            [
                b, parents.GetValueOrDefault(b), ownDays.Select(d => d.UserId).Distinct().Count(), ownDays.Sum(d => d.ReadsTotal),
                own.Count, own.Count(InTime), own.Count(Late), own.Count(Overdue), alerts.Where(a => a.BranchId == b).Sum(a => a.Count),
                verdicts.Count(v => v.BranchId == b && v.Verdict == ItemVerdict.Violation),
            ];
        }).ToList();
        var byBranch = new ReportTable(l.T("分机构", "By branch"),
            [l.T("机构", "Branch"), l.T("上级机构", "Parent"), l.T("活跃用户", "Active users"), l.T("查询", "Reads"), l.T("应核查", "Sheets due"),
             l.T("按时签核", "Signed in time"), l.T("逾期签核", "Signed late"), l.T("逾期未签", "Overdue"), l.T("发现", "Findings"), l.T("核查违规", "Violations found")],
            [.. branches, Sum(branches, l.T("合计", "Total"), 2)]) { HasTotals = true };

        var rules = alerts.Select(a => a.Rule).Concat(verdicts.Where(v => v.Rule is not null).Select(v => v.Rule!)).Distinct().Order(StringComparer.Ordinal).Select(rule => (IReadOnlyList<object?>)
        [
            rule, alerts.Where(a => a.Rule == rule).Sum(a => a.Count), alerts.Where(a => a.Rule == rule && a.State == "confirmed").Sum(a => a.Count),
            alerts.Where(a => a.Rule == rule && a.State == "dismissed").Sum(a => a.Count), verdicts.Count(v => v.Rule == rule && v.Verdict == ItemVerdict.Violation),
        ]).ToList();
        rules.Add([l.T("抽查", "spot checks"), 0, 0, 0, verdicts.Count(v => v.Rule is null && v.Verdict == ItemVerdict.Violation)]);
        var byRule = new ReportTable(l.T("违规按规则", "Violations by rule"),
            [l.T("规则", "Rule"), l.T("发现", "Findings"), l.T("确认违规", "Confirmed"), l.T("排除", "Dismissed"), l.T("核查违规", "Violations on sheets")],
            [.. rules, Sum(rules, l.T("合计", "Total"), 1)]) { HasTotals = true };

        var suspended = new ReportTable(l.T("暂停与恢复", "Suspensions"),
            [l.T("用户", "User"), l.T("机构", "Branch"), l.T("暂停时间", "Suspended"), l.T("原因", "Reason"), l.T("恢复时间", "Reinstated"), l.T("恢复人", "By"), l.T("恢复理由", "Why")],
            [.. suspensions.Select(s => (IReadOnlyList<object?>)[s.UserId, s.BranchId, Local(s.Since), s.Reason, Local(s.EndedAt), s.EndedBy, s.EndedReason])])
        { Note = suspensions.Count == 0 ? l.T("本月无暂停或恢复。", "No suspension began or ended this month.") : null };

        var changed = days.Where(d => d.AccountChanges > 0).ToList();
        var accounts = new ReportTable(l.T("账户变更", "Account changes"), [l.T("用户", "User"), l.T("机构", "Branch"), l.T("日期", "Day"), l.T("变更次数", "Changes")],
            [.. changed.Select(d => (IReadOnlyList<object?>)[d.UserId, d.BranchId, d.Day, d.AccountChanges])])
        { Note = changed.Count == 0 ? l.T("本月无账户变更。", "No account changed this month.") : null };

        var summary = new ReportTable(l.T("概况", "Summary"), [l.T("项目", "Measure"), l.T("数值", "Value")],
        [
            [l.T("机构", "Branches"), branches.Count], [l.T("活跃用户", "Active users"), days.Select(d => d.UserId).Distinct().Count()],
            [l.T("查询", "Reads"), days.Sum(d => d.ReadsTotal)], [l.T("登录失败", "Login failures"), days.Sum(d => d.LoginFailures)],
            [l.T("账户变更", "Account changes"), days.Sum(d => d.AccountChanges)],
            [l.T("应核查日表", "Sheets due"), sheets.Count], [l.T("按时签核", "Signed in time"), sheets.Count(InTime)],
            [l.T("逾期签核", "Signed late"), sheets.Count(Late)], [l.T("逾期未签", "Overdue"), sheets.Count(Overdue)],
            [l.T("未到期未签", "Unsigned, not yet due"), sheets.Count(NotYetDue)],
            [l.T("发现", "Findings"), alerts.Sum(a => a.Count)], [l.T("确认违规", "Confirmed violations"), alerts.Where(a => a.State == "confirmed").Sum(a => a.Count)],
            [l.T("核查违规", "Violations on sheets"), verdicts.Count(v => v.Verdict == ItemVerdict.Violation)],
            [l.T("暂停", "Suspensions"), suspensions.Count(s => s.Since.ToString("yyyy-MM", CultureInfo.InvariantCulture) == m.Month)],
            [l.T("恢复", "Reinstatements"), suspensions.Count(s => s.EndedAt is { } e && e.ToString("yyyy-MM", CultureInfo.InvariantCulture) == m.Month)],
        ]);

        var scopeText = scopeName is null ? l.T("全行", "the whole bank") : l.T($"{scopeName} 及下辖机构", $"{scopeName} and the branches below it");
        return new Report(l.T($"征信合规月报 {m.Month}", $"Monthly credit compliance summary, {m.Month}"),
            [l.T($"月份：{m.Month}　范围：{scopeText}", $"Month: {m.Month}; scope: {scopeText}"), l.T($"生成时间：{Local(madeAt)}", $"Made: {Local(madeAt)}")],
            [summary, byBranch, byRule, suspended, accounts], l);
    }

    /// <summary>A totals row: <paramref name="label"/> first, the numeric columns from <paramref name="from"/> on summed.</summary>
    private static IReadOnlyList<object?> Sum(List<IReadOnlyList<object?>> rows, string label, int from)
    {
        var width = rows.Count == 0 ? from : rows[0].Count;
        var total = new object?[width];
        total[0] = label;
        for (var i = from; i < width; i++) total[i] = rows.Sum(r => r[i] is int n ? n : 0);
        return total;
    }
}
