using System.Text.Json;
using NodaTime;
using Monitor.Detectors.Settings;
using NodaTime.Text;

namespace Monitor.Detectors.Calendar;

/// <summary>
/// Which dates are working days: weekdays, minus official holidays, plus the weekend days that China's
/// holiday schedule turns into working days (调休). The dates come from data files analysts can extend.
/// </summary>
public sealed class WorkCalendar
{
    private readonly HashSet<LocalDate> _holidays;
    private readonly HashSet<LocalDate> _workdays;

    public WorkCalendar(IEnumerable<LocalDate> holidays, IEnumerable<LocalDate> adjustedWorkdays)
    {
        _holidays = [.. holidays];
        _workdays = [.. adjustedWorkdays];
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
        using (var s = typeof(WorkCalendar).Assembly.GetManifestResourceStream("Monitor.Detectors.Calendar.cn-holidays.json")
            ?? throw new InvalidOperationException("embedded holiday calendar missing"))
        {
            Read(JsonDocument.Parse(s), "embedded cn-holidays.json", holidays, workdays);
        }
        var i = 0;
        foreach (var file in extraFiles ?? [])
        {
            ReadFile($"calendarFiles[{i}]", file, holidays, workdays);
            i++;
        }
        return new WorkCalendar(holidays, workdays);
    }

    /// <summary>One of the settings' calendar files; anything wrong with it is a <see cref="SettingsException"/> naming the key.</summary>
    private static void ReadFile(string key, string file, List<LocalDate> holidays, List<LocalDate> workdays)
    {
        try
        {
            using var doc = JsonDocument.Parse(SettingsLoader.Read(file));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
            Read(doc, file, holidays, workdays);
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

    private static void Read(JsonDocument doc, string source, List<LocalDate> holidays, List<LocalDate> workdays)
    {
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
}
