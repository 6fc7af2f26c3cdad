using Monitor.Store;

namespace Monitor.Reports;

/// <summary>
/// What the reports read from the store: a branch's sheet of a day, and the roll-up of it and the branches below it;
/// a month. <c>due</c> gives when a day's sheet had to be signed (the working-day calendar's deadline, which the
/// reports judge lateness by; the store's escalation only says whom it reached).
/// </summary>
public static class ReportData
{
    /// <summary>The daily report of <paramref name="branchId"/> for <paramref name="day"/>; null when that day has no closed sheet for the branch.</summary>
    public static async Task<Report?> DailyAsync(AlertStore store, string branchId, string day, ReportLanguage language, TimeZoneInfo zone, DateTimeOffset madeAt,
        Func<DateOnly, DateTimeOffset> due)
    {
        var deadline = due(DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (await store.SheetAsync(branchId, day) is not { } sheet) return null;
        var tree = await store.BranchTreeAsync();
        var rollUp = new List<LevelRow>();
        foreach (var branch in BranchScope.Below(branchId, tree).Order(StringComparer.Ordinal))
        {
            var s = branch == branchId ? sheet : await store.SheetAsync(branch, day);
            if (s is null) continue;
            var late = s.Status.SignedAt is { } at ? at > deadline : madeAt > deadline;
            rollUp.Add(new LevelRow(branch, tree.GetValueOrDefault(branch), 1, s.Status.Signed ? 1 : 0, late ? 1 : 0, s.Items.Count, s.Violations));
        }
        return DailyReport.Build(sheet, rollUp, language, zone, madeAt);
    }

    /// <summary>The monthly compliance summary of <paramref name="month"/> (yyyy-MM) for <paramref name="branchId"/> and the branches below it, or the bank (null).</summary>
    public static async Task<Report> MonthlyAsync(AlertStore store, string month, string? branchId, ReportLanguage language, TimeZoneInfo zone, DateTimeOffset madeAt,
        Func<DateOnly, DateTimeOffset> due)
    {
        var figures = await store.MonthAsync(month);
        var scope = branchId is null ? null : BranchScope.Below(branchId, await store.BranchTreeAsync());
        return MonthlyReport.Build(figures, scope, branchId, language, zone, madeAt, due);
    }
}
