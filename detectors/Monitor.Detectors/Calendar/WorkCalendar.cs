using System.Text.Json;
using NodaTime;
using Monitor.Detectors.Settings;
using NodaTime.Text;

namespace Monitor.Detectors.Calendar;

/// <summary>
/// Which dates are working days: weekdays, minus official holidays, plus the weekend days that China's
/// holiday schedule turns into working days (调休). The dates come from data files analysts can extend; those files
/// may also declare known peak days (a campaign, a regulator's deadline) with the factor everyone is expected to
/// read at, and the calendar names the recurring kinds of busy day (<see cref="PeakKinds"/>) whose factors the
/// monitor learns.
/// </summary>
public sealed class WorkCalendar
{
    private readonly HashSet<LocalDate> _holidays;
    private readonly HashSet<LocalDate> _workdays;
    private readonly Dictionary<LocalDate, double> _peaks;

    public WorkCalendar(IEnumerable<LocalDate> holidays, IEnumerable<LocalDate> adjustedWorkdays, IEnumerable<(LocalDate Date, double Factor)>? peaks = null)
    {
        _holidays = [.. holidays];
        _workdays = [.. adjustedWorkdays];
        _peaks = [];
        foreach (var (date, factor) in peaks ?? []) _peaks[date] = Math.Max(factor, _peaks.GetValueOrDefault(date, 1));
    }

    /// <summary>The factor analysts declared for <paramref name="date"/> in a calendar file's <c>peaks</c> (1 when none).</summary>
    public double DeclaredPeak(LocalDate date) => _peaks.GetValueOrDefault(date, 1);

    /// <summary>
    /// The recurring kinds of busy day <paramref name="date"/> is (<see cref="Peaks"/> flags; none on a non-working day): the last and
    /// second-to-last working day of a month, the last of a quarter, the first and second working day after three or more
    /// non-working days in a row (a long holiday).
    /// </summary>
    public int PeakKinds(LocalDate date)
    {
        if (!IsWorkingDay(date)) return 0;
        var kinds = 0;
        var next = WorkingDaysAfter(date, 1);
        if (next.Month != date.Month) kinds |= date.Month % 3 == 0 ? Peaks.QuarterEnd : Peaks.MonthEnd;
        else if (WorkingDaysAfter(next, 1).Month != date.Month) kinds |= Peaks.MonthEndButOne;
        var previous = PreviousWorkingDay(date);
        if (Period.Between(previous, date, PeriodUnits.Days).Days >= 4) kinds |= Peaks.AfterHoliday;
        else if (Period.Between(PreviousWorkingDay(previous), previous, PeriodUnits.Days).Days >= 4) kinds |= Peaks.AfterHolidayButOne;
        return kinds;
    }

    private LocalDate PreviousWorkingDay(LocalDate date)
    {
        var d = date.PlusDays(-1);
        for (var i = 0; i < 40 && !IsWorkingDay(d); i++) d = d.PlusDays(-1);
        return d;
    }

    public bool IsWorkingDay(LocalDate date) =>
        _workdays.Contains(date) || (!_holidays.Contains(date) && date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday));

    /// <summary>The <paramref name="count"/>th working day after <paramref name="date"/> (the date itself when 0).</summary>
    public LocalDate WorkingDaysAfter(LocalDate date, int count)
    {
        for (var left = count; left > 0;)
        {
            date = date.PlusDays(1);
            if (IsWorkingDay(date)) left--;
        }
        return date;
    }

    public bool IsHoliday(LocalDate date) => _holidays.Contains(date);

    /// <summary>The holidays, in no order (to send the calendar to another node).</summary>
    public IEnumerable<LocalDate> Holidays => _holidays;

    /// <summary>The adjusted working days (weekend days worked), in no order.</summary>
    public IEnumerable<LocalDate> AdjustedWorkdays => _workdays;

    public bool IsAdjustedWorkday(LocalDate date) => _workdays.Contains(date);

    /// <summary>The calendar shipped with the monitor (mainland China's official holidays), plus any extra files.</summary>
    public static WorkCalendar Load(IEnumerable<string>? extraFiles = null)
    {
        var holidays = new List<LocalDate>();
        var workdays = new List<LocalDate>();
        var peaks = new List<(LocalDate, double)>();
        using (var s = typeof(WorkCalendar).Assembly.GetManifestResourceStream("Monitor.Detectors.Calendar.cn-holidays.json")
            ?? throw new InvalidOperationException("embedded holiday calendar missing"))
        {
            Read(JsonDocument.Parse(s), "embedded cn-holidays.json", holidays, workdays, peaks);
        }
        var i = 0;
        foreach (var file in extraFiles ?? [])
        {
            ReadFile($"calendarFiles[{i}]", file, holidays, workdays, peaks);
            i++;
        }
        return new WorkCalendar(holidays, workdays, peaks);
    }

    /// <summary>One of the settings' calendar files; anything wrong with it is a <see cref="SettingsException"/> naming the key.</summary>
    private static void ReadFile(string key, string file, List<LocalDate> holidays, List<LocalDate> workdays, List<(LocalDate, double)> peaks)
    {
        try
        {
            using var doc = JsonDocument.Parse(SettingsLoader.Read(file));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
            Read(doc, file, holidays, workdays, peaks);
        }
        catch (SettingsException e)
        {
            throw new SettingsException($"settings: {key}: {e.Message["settings: ".Length..]}");
        }
        catch (JsonException e)
        {
            var at = JsonProblem.Position(e) is { } position ? " at " + position : "";
            throw new SettingsException($"settings: {key}: {file} is not a holiday calendar (JSON{at}: {JsonProblem.FirstSentence(e.Message)}; docs/settings.md)");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new SettingsException($"settings: {key}: {file} is not a holiday calendar ({e.Message.TrimEnd('.')}; docs/settings.md)");
        }
    }

    private static void Read(JsonDocument doc, string source, List<LocalDate> holidays, List<LocalDate> workdays, List<(LocalDate, double)> peaks)
    {
        if (doc.RootElement.TryGetProperty("peaks", out var declared)) ReadPeaks(declared, source, peaks);
        foreach (var (name, target) in new[] { ("holidays", holidays), ("workdays", workdays) })
        {
            if (!doc.RootElement.TryGetProperty(name, out var list)) continue;
            foreach (var item in list.EnumerateArray())
            {
                var text = item.ValueKind == JsonValueKind.Object ? item.GetProperty("date").GetString() : item.GetString();
                var parsed = LocalDatePattern.Iso.Parse(text ?? "");
                if (!parsed.Success) throw new FormatException($"{source}: '{name}' has '{text}', expected yyyy-MM-dd");
                target.Add(parsed.Value);
            }
        }
    }

    /// <summary>
    /// Declared peaks: <c>{"date": "2026-09-30", "factor": 2, "name": "季末"}</c>, or a period with <c>from</c> and <c>to</c>
    /// (both included, at most 31 days); the factor is what every account is expected to read against its usual, 1 to 10.
    /// </summary>
    private static void ReadPeaks(JsonElement list, string source, List<(LocalDate, double)> peaks)
    {
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: 'peaks' entries are objects with date (or from and to) and factor");
            LocalDate Date(string name)
            {
                var text = item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var parsed = LocalDatePattern.Iso.Parse(text ?? "");
                return parsed.Success ? parsed.Value : throw new FormatException($"{source}: a 'peaks' entry has {name} '{text}', expected yyyy-MM-dd");
            }
            var factor = item.TryGetProperty("factor", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : double.NaN;
            if (!(factor >= 1 && factor <= 10)) throw new FormatException($"{source}: a 'peaks' entry needs a factor from 1 to 10");
            var (from, to) = item.TryGetProperty("date", out _) ? (Date("date"), Date("date")) : (Date("from"), Date("to"));
            if (to < from || Period.Between(from, to, PeriodUnits.Days).Days > 30) throw new FormatException($"{source}: a 'peaks' period from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} must run forwards, at most 31 days");
            for (var d = from; d <= to; d = d.PlusDays(1)) peaks.Add((d, factor));
        }
    }
}

/// <summary>The recurring kinds of busy day (<see cref="WorkCalendar.PeakKinds"/>), as flags.</summary>
public static class Peaks
{
    public const int MonthEnd = 1;
    public const int MonthEndButOne = 2;
    public const int QuarterEnd = 4;
    public const int AfterHoliday = 8;
    public const int AfterHolidayButOne = 16;

    /// <summary>Every kind, in the order they are learned and named.</summary>
    public static readonly int[] All = [MonthEnd, MonthEndButOne, QuarterEnd, AfterHoliday, AfterHolidayButOne];

    public static string Name(int kind) => kind switch
    {
        MonthEnd => "month-end",
        MonthEndButOne => "the day before month-end",
        QuarterEnd => "quarter-end",
        AfterHoliday => "the first working day after a long holiday",
        _ => "the second working day after a long holiday",
    };
}
