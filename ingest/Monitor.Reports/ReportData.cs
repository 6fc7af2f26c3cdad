using Monitor.Store;

namespace Monitor.Reports;

/// <summary>What the reports read from the store: a branch's sheet of a day, and the roll-up of it and the branches below it.</summary>
public static class ReportData
{
    /// <summary>The daily report of <paramref name="branchId"/> for <paramref name="day"/>; null when that day has no closed sheet for the branch.</summary>
    public static async Task<Report?> DailyAsync(AlertStore store, string branchId, string day, ReportLanguage language, TimeZoneInfo zone, DateTimeOffset madeAt)
    {
        if (await store.SheetAsync(branchId, day) is not { } sheet) return null;
        var tree = await store.BranchTreeAsync();
        var rollUp = new List<LevelRow>();
        foreach (var branch in BranchScope.Below(branchId, tree).Order(StringComparer.Ordinal))
        {
            var s = branch == branchId ? sheet : await store.SheetAsync(branch, day);
            if (s is null) continue;
            rollUp.Add(new LevelRow(branch, tree.GetValueOrDefault(branch), 1, s.Status.Signed ? 1 : 0, s.Status.Escalation > 0 ? 1 : 0, s.Items.Count,
                s.Items.Count(i => i.Verdict?.Verdict == ItemVerdict.Violation)));
        }
        return DailyReport.Build(sheet, rollUp, language, zone, madeAt);
    }

    /// <summary>The monthly compliance summary of <paramref name="month"/> (yyyy-MM) for <paramref name="branchId"/> and the branches below it, or the bank (null).</summary>
    public static async Task<Report> MonthlyAsync(AlertStore store, string month, string? branchId, ReportLanguage language, TimeZoneInfo zone, DateTimeOffset madeAt)
    {
        var figures = await store.MonthAsync(month);
        var scope = branchId is null ? null : BranchScope.Below(branchId, await store.BranchTreeAsync());
        return MonthlyReport.Build(figures, scope, branchId, language, zone, madeAt);
    }
}
