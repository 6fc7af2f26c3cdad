using Monitor.Detectors.Pipeline;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class EventDaysTests
{
    /// <summary>An event whose source's time is its own time (no early-dated outliers here).</summary>
    private static void See(EventDays days, Monitor.Contracts.QueryLogEvent e, int source) => days.Observe(e, source, e.OccurredAt);

    [Fact]
    public void A_day_ends_for_everyone_once_the_slowest_source_passes_its_end_plus_the_lateness()
    {
        var days = new EventDays("Asia/Shanghai", TimeSpan.FromHours(2));
        See(days, Ev.Query("A", Ev.At(2026, 3, 2, 10)), 0);
        See(days, Ev.Query("B", Ev.At(2026, 3, 2, 11)), 1);
        See(days, Ev.Query("A", Ev.At(2026, 3, 3, 9)), 0);
        Assert.Null(days.Ended()); // source 1 is still on Monday

        See(days, Ev.Query("B", Ev.At(2026, 3, 3, 1, 59)), 1);
        Assert.Null(days.Ended()); // 01:59 is within the two hours' lateness

        See(days, Ev.Query("B", Ev.At(2026, 3, 3, 2, 1)), 1);
        var ended = days.Ended();
        Assert.NotNull(ended);
        Assert.Equal(new DateOnly(2026, 3, 2).DayNumber, ended.Day);
        Assert.Equal(Ev.At(2026, 3, 3, 2), ended.At);
        Assert.Equal(["A", "B"], ended.Users.Order());
        Assert.Null(days.Ended());
    }

    [Fact]
    public void A_source_a_week_behind_is_idle_and_not_waited_for()
    {
        var days = new EventDays("Asia/Shanghai", TimeSpan.FromHours(2));
        See(days, Ev.Query("A", Ev.At(2026, 3, 2, 10)), 1);
        See(days, Ev.Query("B", Ev.At(2026, 3, 10, 10)), 0);
        Assert.NotNull(days.Ended());
    }
}
