using System.Globalization;
using Monitor.Contracts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// The indicators that judge one query on its own: NO_AUTHORIZATION, QUERY_BEFORE_AUTHORIZATION, ADMIN_QUERY,
/// OFF_HOURS and KIOSK_OFF_HOURS. Each returns a finding on the user, or null.
/// </summary>
public static class EventRules
{
    /// <summary>A report read for a purpose that needs a written authorization, with none on file (管理办法 §13, §20).</summary>
    public static Finding? NoAuthorization(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsSuccessfulQuery || e.Purpose is not { } purpose || !Purposes.RequiresAuthorization(purpose)) return null;
        if (!string.IsNullOrWhiteSpace(e.AuthorizationId)) return null;
        return Findings.OnUser(c, RuleIds.NoAuthorization, Severity.High,
            $"user {e.UserId} read a credit report for purpose {WireNames.Of(purpose)} at {c.LocalText} with no authorization on file; "
            + "this purpose requires the subject's written authorization before the query");
    }

    /// <summary>A report read before the authorization behind it was signed (先查询后授权, 管理办法 §20(六)).</summary>
    public static Finding? QueryBeforeAuthorization(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsSuccessfulQuery || string.IsNullOrWhiteSpace(e.AuthorizationId) || e.AuthorizedAt is not { } signed) return null;
        if (signed <= e.OccurredAt) return null;
        var gap = signed - e.OccurredAt;
        return Findings.OnUser(c, RuleIds.QueryBeforeAuthorization, Severity.High,
            $"user {e.UserId} read a credit report at {c.LocalText} under authorization {e.AuthorizationId}, which was signed "
            + $"{Duration(gap)} later ({EventJson.FormatTime(signed)}); the authorization must be signed before the query");
    }

    /// <summary>An administrator account reading credit information, which its role forbids (管理办法 §9; 规范 5.1–5.2).</summary>
    public static Finding? AdminQuery(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsQuery || e.UserRole is not (UserRole.UserAdmin or UserRole.GeneralAdmin or UserRole.SuperAdmin)) return null;
        var read = e.IsSuccessfulQuery;
        return Findings.OnUser(c, RuleIds.AdminQuery, read ? Severity.Critical : Severity.High,
            $"administrator account {e.UserId} (role {WireNames.Of(e.UserRole.Value)}) {(read ? "read" : "tried to read")} a credit report at {c.LocalText}"
            + (read ? "" : $" (outcome {WireNames.Of(e.Outcome!.Value)})") + "; administrator accounts may never query credit information");
    }

    /// <summary>A query outside the branch's working hours for its channel, or on a day that is not a working day (规范 5.3.2.2).</summary>
    public static Finding? OffHours(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsQuery || e.Outcome is Outcome.Denied || c.Policy.IsOffHoursExempt(e.Channel)) return null;
        if (c.InWorkingHours) return null;
        var (start, end) = c.Policy.HoursFor(e.Channel);
        var workingDay = c.Calendar.IsWorkingDay(c.Day);
        var hours = $"{Hm(start)}–{Hm(end)}" + (e.Channel is { } ch && c.Policy.HoursFor(ch) != (c.Policy.WorkStart, c.Policy.WorkEnd) ? $" on channel {WireNames.Of(ch)}" : "");
        return Findings.OnUser(c, RuleIds.OffHours, Severity.Medium,
            $"user {e.UserId} queried a credit report at {c.LocalText} local time ({DayText(c, workingDay)}); branch {e.BranchId} works {hours} on working days");
    }

    /// <summary>A self-service kiosk used outside the hours set for kiosks (102号文: 自助查询机).</summary>
    public static Finding? KioskOffHours(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsQuery || e.Channel != Channel.SelfServiceKiosk || e.Outcome is Outcome.Denied) return null;
        var workingDay = c.Calendar.IsWorkingDay(c.Day);
        var time = c.Local.TimeOfDay;
        var openDay = workingDay || c.Policy.Rules.Kiosk.NonWorkingDays;
        if (openDay && time >= c.Policy.KioskStart && time < c.Policy.KioskEnd) return null;
        var rule = openDay ? $"kiosks are open {Hm(c.Policy.KioskStart)}–{Hm(c.Policy.KioskEnd)}" : "kiosks are closed on non-working days";
        return Findings.OnUser(c, RuleIds.KioskOffHours, Severity.Medium,
            $"self-service kiosk {e.TerminalId ?? "(no terminal id)"} of branch {e.BranchId} was used by account {e.UserId} at {c.LocalText} local time ({DayText(c, workingDay)}); {rule}");
    }

    private static string DayText(in EventContext c, bool workingDay)
    {
        var day = c.Day;
        var dayText = day.DayOfWeek.ToString();
        return !workingDay
            ? c.Calendar.IsHoliday(day) ? $"{dayText}, an official holiday" : $"{dayText}, a weekend day"
            : c.Calendar.IsAdjustedWorkday(day) ? $"{dayText}, an adjusted working day, outside working hours" : $"{dayText}, outside working hours";
    }

    private static string Hm(NodaTime.LocalTime t) => t == NodaTime.LocalTime.MaxValue ? "24:00" : t.ToString("HH:mm", CultureInfo.InvariantCulture);

    internal static string Duration(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{(int)t.TotalDays} d {t.Hours} h" : t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min" : $"{Math.Max(1, (int)t.TotalMinutes)} min";
}
