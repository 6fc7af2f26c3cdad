using System.Globalization;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

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
        return Findings.OnUser(c, RuleIds.NoAuthorization, Severity.High, Phrase.Of(RuleIds.NoAuthorization, e.UserId, Catalog.Wire(purpose), c.LocalText));
    }

    /// <summary>A report read before the authorization behind it was signed (先查询后授权, 管理办法 §20(六)).</summary>
    public static Finding? QueryBeforeAuthorization(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsSuccessfulQuery || string.IsNullOrWhiteSpace(e.AuthorizationId) || e.AuthorizedAt is not { } signed) return null;
        if (signed <= e.OccurredAt) return null;
        var gap = signed - e.OccurredAt;
        return Findings.OnUser(c, RuleIds.QueryBeforeAuthorization, Severity.High,
            Phrase.Of(RuleIds.QueryBeforeAuthorization, e.UserId, c.LocalText, e.AuthorizationId, Catalog.Duration(gap), EventJson.FormatTime(signed)));
    }

    /// <summary>An administrator account reading credit information, which its role forbids (管理办法 §9; 规范 5.1–5.2).</summary>
    public static Finding? AdminQuery(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsQuery || e.UserRole is not (UserRole.UserAdmin or UserRole.GeneralAdmin or UserRole.SuperAdmin)) return null;
        var read = e.IsSuccessfulQuery;
        var role = Catalog.Wire(e.UserRole.Value);
        return Findings.OnUser(c, RuleIds.AdminQuery, read ? Severity.Critical : Severity.High, read
            ? Phrase.Of("ADMIN_QUERY.read", e.UserId, role, c.LocalText)
            : Phrase.Of("ADMIN_QUERY.tried", e.UserId, role, c.LocalText, Catalog.Wire(e.Outcome!.Value)));
    }

    /// <summary>A query outside the branch's working hours for its channel, or on a day that is not a working day (规范 5.3.2.2).</summary>
    public static Finding? OffHours(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsQuery || e.Outcome is Outcome.Denied || c.Policy.IsOffHoursExempt(e.Channel)) return null;
        if (c.InWorkingHours) return null;
        var (start, end) = c.Policy.HoursFor(e.Channel);
        var workingDay = c.Calendar.IsWorkingDay(c.Day);
        var hours = e.Channel is { } ch && c.Policy.HoursFor(ch) != (c.Policy.WorkStart, c.Policy.WorkEnd)
            ? Phrase.Of("hours.channel", Hm(start), Hm(end), Catalog.Wire(ch))
            : Phrase.Of("hours", Hm(start), Hm(end));
        return Findings.OnUser(c, RuleIds.OffHours, Severity.Medium, Phrase.Of(RuleIds.OffHours, e.UserId, c.LocalText, DayText(c, workingDay), e.BranchId, hours));
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
        var rule = openDay ? Phrase.Of("kiosk.open", Hm(c.Policy.KioskStart), Hm(c.Policy.KioskEnd)) : Phrase.Of("kiosk.closed");
        return Findings.OnUser(c, RuleIds.KioskOffHours, Severity.Medium,
            Phrase.Of(RuleIds.KioskOffHours, e.TerminalId is { } t ? t : Phrase.Of("kiosk.noTerminal"), e.BranchId, e.UserId, c.LocalText, DayText(c, workingDay), rule));
    }

    private static Phrase DayText(in EventContext c, bool workingDay)
    {
        var day = c.Day;
        var weekday = Catalog.Weekday(day.DayOfWeek);
        return !workingDay
            ? Phrase.Of(c.Calendar.IsHoliday(day) ? "day.holiday" : "day.weekend", weekday)
            : Phrase.Of(c.Calendar.IsAdjustedWorkday(day) ? "day.adjusted" : "day.outside", weekday);
    }

    private static string Hm(NodaTime.LocalTime t) => t == NodaTime.LocalTime.MaxValue ? "24:00" : t.ToString("HH:mm", CultureInfo.InvariantCulture);

}
