using Monitor.Detectors.Calendar;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// The days the whole simulated bank is busier (<see cref="SimulationOptions.Peaks"/>): the last working day of a
/// month and, busier still, of a quarter; the first two working days after a holiday of three days or more. Every
/// account's volume is multiplied by the day's factor, so each user is at the peak's own factor and none is odd.
/// </summary>
public static class CalendarPeaks
{
    public const double MonthEnd = 1.5;
    public const double QuarterEnd = 2.0;
    public const double FirstAfterHoliday = 1.8;
    public const double SecondAfterHoliday = 1.4;

    /// <summary>The factor of <paramref name="date"/>: 1 on an ordinary day and on every non-working day.</summary>
    public static double FactorOf(WorkCalendar calendar, LocalDate date)
    {
        if (!calendar.IsWorkingDay(date)) return 1;
        var factor = 1.0;
        var next = calendar.WorkingDaysAfter(date, 1);
        if (next.Month != date.Month) factor = Math.Max(factor, date.Month % 3 == 0 ? QuarterEnd : MonthEnd);
        var previous = PreviousWorkingDay(calendar, date);
        if (Period.Between(previous, date, PeriodUnits.Days).Days >= 4) factor = Math.Max(factor, FirstAfterHoliday);
        else if (Period.Between(PreviousWorkingDay(calendar, previous), previous, PeriodUnits.Days).Days >= 4) factor = Math.Max(factor, SecondAfterHoliday);
        return factor;
    }

    private static LocalDate PreviousWorkingDay(WorkCalendar calendar, LocalDate date)
    {
        var d = date.PlusDays(-1);
        for (var i = 0; i < 30 && !calendar.IsWorkingDay(d); i++) d = d.PlusDays(-1);
        return d;
    }
}
