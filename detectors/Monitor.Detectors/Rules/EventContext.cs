using Monitor.Contracts;
using Monitor.Detectors.Calendar;
using Monitor.Detectors.Settings;
using NodaTime;

namespace Monitor.Detectors.Rules;

/// <summary>
/// An event with what every rule needs to know about it already worked out once: the branch's effective
/// settings and the event's local date and time in the branch's zone.
/// </summary>
public readonly record struct EventContext(QueryLogEvent Event, BranchPolicy Policy, LocalDateTime Local, WorkCalendar Calendar)
{
    public static EventContext Of(QueryLogEvent e, BranchPolicies policies, WorkCalendar calendar) =>
        Of(e, policies.For(e.BranchId, e.ParentBranchId), calendar);

    /// <summary>The event judged under <paramref name="policy"/> (a branch judging a sub-branch's event uses its own).</summary>
    public static EventContext Of(QueryLogEvent e, BranchPolicy policy, WorkCalendar calendar)
    {
        var local = Instant.FromDateTimeOffset(e.OccurredAt).InZone(policy.Zone).LocalDateTime;
        return new EventContext(e, policy, local, calendar);
    }

    public LocalDate Day => Local.Date;

    /// <summary>Whether the event falls on a working day within the branch's hours for its channel (what OFF_HOURS and the off-hours share judge).</summary>
    public bool InWorkingHours
    {
        get
        {
            var (start, end) = Policy.HoursFor(Event.Channel);
            var time = Local.TimeOfDay;
            return Calendar.IsWorkingDay(Day) && time >= start && time < end;
        }
    }

    /// <summary>The local day as yyyy-MM-dd, the period of daily alerts.</summary>
    public string DayKey => Local.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The local time as the officer would read it, with date and seconds.</summary>
    public string LocalText => Text(Local);

    /// <summary>An earlier moment as the officer reads the event's own time: in the judging branch's zone, with seconds.</summary>
    public string LocalTextOf(DateTimeOffset t) => Text(Instant.FromDateTimeOffset(t).InZone(Policy.Zone).LocalDateTime);

    private static string Text(LocalDateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
