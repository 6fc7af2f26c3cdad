using System.CommandLine;
using System.Globalization;
using Monitor.Reports;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor report daily --store S --branch B --day YYYY-MM-DD --format xlsx|html --output F [--lang zh-CN|en]</c>:
/// a branch's daily verification report (docs/verification.md) read from the store, as a workbook or a printable
/// page, in Chinese unless English is asked for; <c>monitor report monthly --store S --month YYYY-MM [--branch B]</c>:
/// the monthly compliance summary, the same ways.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var store = new Option<string?>("--store") { Description = "the alert store: a SQLite file, or a PostgreSQL connection string with Host=... (docs/store.md)" };
        var branch = new Option<string?>("--branch") { Description = "the branch whose day it is" };
        var day = new Option<string?>("--day") { Description = "the local day, YYYY-MM-DD" };
        var format = new Option<string>("--format") { Description = "xlsx (a workbook) or html (a printable page)", DefaultValueFactory = _ => "xlsx" };
        format.AcceptOnlyFromAmong("xlsx", "html");
        var output = new Option<FileInfo?>("--output") { Description = "the file to write" };
        var lang = new Option<string>("--lang") { Description = "zh-CN (the default) or en", DefaultValueFactory = _ => "zh-CN" };
        lang.AcceptOnlyFromAmong("zh-CN", "zh", "en");
        var settings = CommonOptions.Settings();
        var daily = new Command("daily", "a branch's daily verification sheet: its users' reads (one row each and a total), the items and their verdicts, the sign-off and the roll-up of the branches below it")
            { store, branch, day, format, output, lang, settings };
        daily.SetAction(p => Cli.Guard(async () =>
        {
            var location = Required(p.GetValue(store), "--store", "a SQLite file or a PostgreSQL connection string");
            var branchId = Required(p.GetValue(branch), "--branch", "the branch's id");
            var dayText = Required(p.GetValue(day), "--day", "the local day as YYYY-MM-DD");
            if (!DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw new CliException($"--day: '{dayText}' is not a date as YYYY-MM-DD");
            var file = p.GetValue(output) ?? throw new CliException("report daily: --output is required (the file to write)");
            var (zone, due) = Calendar(p.GetValue(settings));
            var opened = await CommonOptions.OpenExistingStoreAsync(location);
            var report = await ReportData.DailyAsync(opened, branchId, dayText, ReportLanguage.Parse(p.GetValue(lang))!, zone, DateTimeOffset.UtcNow, due)
                ?? throw new CliException((await opened.BranchTreeAsync()).ContainsKey(branchId)
                    ? $"report daily: the store has no closed day {dayText} for branch {branchId} (a day closes once event time passes its end plus the allowed lateness)"
                    : $"--branch: no day of branch {branchId} has closed in this store (ids are case-sensitive)");
            Write(report, p.GetValue(format)!, file);
            Console.Error.WriteLine($"wrote the daily verification report of {branchId} for {dayText} to {file.FullName}");
            return 0;
        }));
        var month = new Option<string?>("--month") { Description = "the month, YYYY-MM" };
        var monthlyBranch = new Option<string?>("--branch") { Description = "a branch: the summary covers it and the branches below it (default: the whole bank)" };
        var monthly = new Command("monthly", "the monthly compliance summary: the month at a glance, each branch's figures and sign-off record, violations by rule, suspensions and reinstatements, account changes")
            { store, month, monthlyBranch, format, output, lang, settings };
        monthly.SetAction(p => Cli.Guard(async () =>
        {
            var location = Required(p.GetValue(store), "--store", "a SQLite file or a PostgreSQL connection string", "monthly");
            var monthText = Required(p.GetValue(month), "--month", "the month as YYYY-MM", "monthly");
            if (!DateOnly.TryParseExact(monthText + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw new CliException($"--month: '{monthText}' is not a month as YYYY-MM");
            var file = p.GetValue(output) ?? throw new CliException("report monthly: --output is required (the file to write)");
            var (zone, due) = Calendar(p.GetValue(settings));
            var opened = await CommonOptions.OpenExistingStoreAsync(location);
            var report = await ReportData.MonthlyAsync(opened, monthText, p.GetValue(monthlyBranch), ReportLanguage.Parse(p.GetValue(lang))!, zone, DateTimeOffset.UtcNow, due);
            if (!(await opened.SheetsAsync(null, monthText + "-01")).Exists(s => s.Day.StartsWith(monthText, StringComparison.Ordinal)))
                Console.Error.WriteLine($"note: the store has no closed day in {monthText}; the summary counts nothing");
            Write(report, p.GetValue(format)!, file);
            Console.Error.WriteLine($"wrote the monthly compliance summary for {monthText} to {file.FullName}");
            return 0;
        }));
        return new Command("report", "reports of the daily verification, read from the store (docs/verification.md)") { daily, monthly };
    }

    private static string Required(string? value, string option, string what, string verb = "daily") =>
        string.IsNullOrWhiteSpace(value) ? throw new CliException($"report {verb}: {option} is required ({what})") : value;

    /// <summary>The bank's zone and the sheets' signing deadline (the working-day calendar) from the settings.</summary>
    private static (TimeZoneInfo Zone, Func<DateOnly, DateTimeOffset> Due) Calendar(FileInfo? settings)
    {
        var current = CommonOptions.LoadSettings(settings).Current;
        var deadlines = Monitor.Detectors.Verification.SheetDeadlines.Of(current);
        return (TimeZoneInfo.FindSystemTimeZoneById(current.Settings.TimeZone), d => deadlines.Due(d, 1));
    }

    private static void Write(Report report, string format, FileInfo file)
    {
        try
        {
            if (format == "html") File.WriteAllText(file.FullName, HtmlReport.Render(report));
            else XlsxReport.Write(report, file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--output: cannot write {file.FullName}: {e.Message}");
        }
    }
}
