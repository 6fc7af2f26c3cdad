using Monitor.Detectors.Calendar;
using Monitor.Detectors.Verification;
using Monitor.Testing;
using NodaTime;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class SheetDeadlinesTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    [Fact]
    public void A_fridays_sheet_is_due_at_noon_on_monday_and_goes_to_head_office_at_noon_on_tuesday()
    {
        var deadlines = new SheetDeadlines(new LocalTime(12, 0), Shanghai, new WorkCalendar([], []));
        var friday = new DateOnly(2026, 3, 6);

        Assert.Equal(Ev.At(2026, 3, 9, 12), deadlines.Due(friday, 1));
        Assert.Equal(Ev.At(2026, 3, 10, 12), deadlines.Due(friday, 2));
        Assert.Equal(0, deadlines.LevelAt(friday, Ev.At(2026, 3, 9, 11, 59)));
        Assert.Equal(1, deadlines.LevelAt(friday, Ev.At(2026, 3, 9, 12)));
        Assert.Equal(2, deadlines.LevelAt(friday, Ev.At(2026, 3, 12, 9)));
    }

    [Fact]
    public void Holidays_do_not_count_and_an_adjusted_working_saturday_does()
    {
        // National Day 2026: 1-7 October off, Saturday 10 October worked instead.
        var holidays = Enumerable.Range(1, 7).Select(d => new LocalDate(2026, 10, d));
        var deadlines = new SheetDeadlines(new LocalTime(12, 0), Shanghai, new WorkCalendar(holidays, [new LocalDate(2026, 10, 10)]));

        Assert.Equal(Ev.At(2026, 10, 8, 12), deadlines.Due(new DateOnly(2026, 9, 30), 1));
        Assert.Equal(Ev.At(2026, 10, 10, 12), deadlines.Due(new DateOnly(2026, 10, 9), 1));
    }
}
