using Monitor.Detectors.Calendar;
using NodaTime;

namespace Monitor.Detectors.Verification;

/// <summary>
/// When a branch's daily sheet is late, by the working-day calendar: it must be signed by <c>dailySheet.signBy</c>
/// (local time) on the first working day after its day; unsigned then, it goes to the parent branch's officers, and
/// unsigned by the same hour of the working day after that, to head office. Pure: the escalator asks it at each
/// tick of its clock, so a test drives escalation with a fake clock.
/// </summary>
public sealed class SheetDeadlines(LocalTime signBy, DateTimeZone zone, WorkCalendar calendar)
{
    /// <summary>The deadlines of the sheets the settings in force describe.</summary>
    public static SheetDeadlines Of(DetectorSnapshot settings) =>
        new(Settings.SettingsLoader.ParseTime("dailySheet.signBy", settings.Settings.DailySheet.SignBy),
            DateTimeZoneProviders.Tzdb[settings.Settings.TimeZone], settings.Calendar);

    /// <summary>The moment the sheet of <paramref name="day"/> reaches escalation <paramref name="level"/> (1: the parent branch, 2: head office) if still unsigned.</summary>
    public DateTimeOffset Due(DateOnly day, int level)
    {
        var date = LocalDate.FromDateOnly(day);
        for (var i = 0; i < level; i++) date = NextWorkingDay(date);
        return (date + signBy).InZoneLeniently(zone).ToDateTimeOffset();
    }

    /// <summary>The escalation an unsigned sheet of <paramref name="day"/> has reached at <paramref name="now"/>: 0, 1 (parent) or 2 (head office).</summary>
    public int LevelAt(DateOnly day, DateTimeOffset now) => now >= Due(day, 2) ? 2 : now >= Due(day, 1) ? 1 : 0;

    private LocalDate NextWorkingDay(LocalDate date)
    {
        do date = date.PlusDays(1);
        while (!calendar.IsWorkingDay(date));
        return date;
    }
}
