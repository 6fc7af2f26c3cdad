namespace Monitor.Contracts;

/// <summary>
/// Turns a wire event into a <see cref="QueryLogEvent"/> or says, naming the field, why it cannot be one.
/// The checks follow docs/contract.md; they are the contract's enforcement, not a convenience.
/// </summary>
public static class EventValidator
{
    /// <summary>Identifiers longer than this are refused: they are not ids, and they would bloat every state table.</summary>
    public const int MaxIdLength = 128;

    public static bool TryValidate(WireEvent w, out QueryLogEvent? evt, out string? reason)
    {
        evt = null;
        // The HR feed knows people, not credit-system accounts: its events carry an employeeId and no userId.
        var hr = w.Type == "employee";
        reason = Required(w.EventId, "eventId") ?? Required(w.Type, "type") ?? Required(w.OccurredAt, "occurredAt")
            ?? (hr ? Absent(w.UserId, "userId", "employee") ?? Required(w.EmployeeId, "employeeId") : Required(w.UserId, "userId"))
            ?? Required(w.BranchId, "branchId")
            ?? Optional(w.EmployeeId, "employeeId") ?? Optional(w.ParentBranchId, "parentBranchId")
            ?? Optional(w.TerminalId, "terminalId") ?? Optional(w.Ip, "ip") ?? Optional(w.SubjectId, "subjectId")
            ?? Optional(w.AuthorizationId, "authorizationId") ?? Optional(w.ActorUserId, "actorUserId")
            ?? Optional(w.RegisterId, "registerId") ?? Optional(w.ApprovedBy, "approvedBy");
        if (reason is not null) return false;

        if (!Enum<EventType>(w.Type, "type", out var type, out reason)) return false;
        if (!Enum<UserRole>(w.UserRole, "userRole", out var role, out reason)) return false;
        if (!Enum<Channel>(w.Channel, "channel", out var channel, out reason)) return false;
        if (!Enum<SubjectType>(w.SubjectType, "subjectType", out var subjectType, out reason)) return false;
        if (!Enum<Purpose>(w.Purpose, "purpose", out var purpose, out reason)) return false;
        if (!Enum<Outcome>(w.Outcome, "outcome", out var outcome, out reason)) return false;
        AccountAction? action = null;
        StaffAction? staff = null;
        if (hr ? !Enum(w.Action, "action", out staff, out reason) : !Enum(w.Action, "action", out action, out reason)) return false;
        if (!TryTime(w.OccurredAt!, "occurredAt", out var occurredAt, out reason)) return false;
        if (!OptionalTime(w.AuthorizedAt, "authorizedAt", out var authorizedAt, out reason)) return false;
        if (!OptionalTime(w.ApprovedAt, "approvedAt", out var approvedAt, out reason)) return false;
        if (!OptionalTime(w.EffectiveAt, "effectiveAt", out var effectiveAt, out reason)) return false;

        reason = type!.Value switch
        {
            EventType.Query when purpose is null => "missing field: 'purpose' is required on query events",
            EventType.Account when action is null => "missing field: 'action' is required on account events",
            EventType.Login when outcome is null => "missing field: 'outcome' is required on login events",
            EventType.Register => Required(w.RegisterId, "registerId") ?? Required(w.SubjectId, "subjectId") ?? Required(w.ApprovedBy, "approvedBy")
                ?? (purpose is null ? "missing field: 'purpose' is required on register events" : null)
                ?? (approvedAt is null ? "missing field: 'approvedAt' is required on register events" : null),
            EventType.Employee => staff is null ? "missing field: 'action' is required on employee events"
                : effectiveAt is null ? "missing field: 'effectiveAt' is required on employee events" : null,
            _ => null,
        };
        if (reason is not null) return false;

        evt = new QueryLogEvent
        {
            EventId = w.EventId!,
            Type = type.Value,
            OccurredAt = occurredAt,
            UserId = w.UserId ?? "",
            BranchId = w.BranchId!,
            EmployeeId = w.EmployeeId,
            UserRole = role,
            ParentBranchId = w.ParentBranchId,
            TerminalId = w.TerminalId,
            Ip = w.Ip,
            Channel = channel,
            SubjectId = w.SubjectId,
            SubjectType = subjectType,
            Purpose = purpose,
            AuthorizationId = w.AuthorizationId,
            AuthorizedAt = authorizedAt,
            Outcome = outcome,
            Action = action,
            ActorUserId = w.ActorUserId,
            RegisterId = w.RegisterId,
            ApprovedBy = w.ApprovedBy,
            ApprovedAt = approvedAt,
            StaffAction = staff,
            EffectiveAt = effectiveAt,
        };
        return true;
    }

    private static string? Absent(string? value, string field, string type) =>
        value is null ? null : $"invalid value: '{field}' does not belong on {type} events (the HR feed names the person by employeeId)";

    private static bool OptionalTime(string? text, string field, out DateTimeOffset? value, out string? reason)
    {
        value = null;
        reason = null;
        if (text is null) return true;
        if (!TryTime(text, field, out var t, out reason)) return false;
        value = t;
        return true;
    }

    /// <summary>The contract's check of an identifier, for other inputs (the account directory): null when fine, else the reason naming <paramref name="field"/>.</summary>
    public static string? CheckId(string? value, string field, bool required) => required ? Required(value, field) : Optional(value, field);

    /// <summary>The contract's only time form (ISO-8601 with an offset), for other inputs; the reason names <paramref name="field"/>.</summary>
    public static bool TryParseTime(string text, string field, out DateTimeOffset value, out string? reason) => TryTime(text, field, out value, out reason);

    private static string? Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? $"missing field: '{field}' is required" : Optional(value, field);

    private static string? Optional(string? value, string field)
    {
        if (value is null) return null;
        if (value.Length > MaxIdLength) return $"invalid value: '{field}' is longer than {MaxIdLength} characters";
        // A newline or an ANSI escape in an id forges console lines; a bidirectional override or an invisible
        // character makes two different ids look the same to the officer reading them.
        if (Printable.FirstHidden(value) is >= 0 and var at)
            return $"invalid value: '{field}' holds an invisible or control character (U+{(int)value[at]:X4} at position {at})";
        return null;
    }

    private static bool Enum<T>(string? text, string field, out T? value, out string? reason) where T : struct, System.Enum
    {
        value = null;
        reason = null;
        if (text is null) return true;
        if (WireNames.TryParse<T>(text, out var v))
        {
            value = v;
            return true;
        }
        var shown = Printable.Escape(text.Length > 40 ? text[..40] + "…" : text);
        reason = $"unknown value: '{field}' is '{shown}', expected one of {string.Join("|", WireNames.All<T>())}";
        return false;
    }

    private static bool TryTime(string text, string field, out DateTimeOffset value, out string? reason)
    {
        value = default;
        reason = null;
        if (!HasExplicitOffset(text))
        {
            reason = $"invalid time: '{field}' is '{Short(text)}', an ISO-8601 time with an offset (Z or ±hh:mm) is required";
            return false;
        }
        // One form, read the same on every path: no general parser that would also take "… +08:00" or "2026-3-2".
        if (!FastTime(text, out value))
        {
            reason = $"invalid time: '{field}' is '{Short(text)}', not an ISO-8601 time of the form 2026-03-02T09:15:00.123+08:00";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The contract's only form: <c>2026-03-02T09:15:00.123+08:00</c>, fraction optional (rounded to .NET's tick of
    /// 100 ns), <c>Z</c> allowed. Anything else is refused.
    /// </summary>
    private static bool FastTime(string t, out DateTimeOffset value)
    {
        value = default;
        if (t.Length < 20 || t[13] != ':' || t[16] != ':') return false;
        if (!Digits(t, 0, 4, out var year) || !Digits(t, 5, 2, out var month) || !Digits(t, 8, 2, out var day)
            || !Digits(t, 11, 2, out var hour) || !Digits(t, 14, 2, out var minute) || !Digits(t, 17, 2, out var second)) return false;
        var i = 19;
        long fractionTicks = 0;
        if (t[i] == '.')
        {
            var scale = TimeSpan.TicksPerSecond;
            i++;
            var start = i;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                if (i - start < 7) fractionTicks += (t[i] - '0') * (scale /= 10);
                else if (i - start == 7 && t[i] >= '5') fractionTicks++; // rounded to the tick, as .NET's parser does
                i++;
            }
            if (i == start) return false;
        }
        TimeSpan offset;
        if (i == t.Length - 1 && t[i] == 'Z') offset = TimeSpan.Zero;
        else if (i == t.Length - 6 && Digits(t, i + 1, 2, out var oh) && Digits(t, i + 4, 2, out var om) && om < 60 && oh * 60 + om <= 14 * 60)
            offset = new TimeSpan(oh, om, 0) * (t[i] == '-' ? -1 : 1);
        else return false;
        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        var whole = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        if (whole.Ticks > DateTime.MaxValue.Ticks - fractionTicks) return false;
        var local = whole.AddTicks(fractionTicks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTimeOffset.MinValue.UtcTicks || utcTicks > DateTimeOffset.MaxValue.UtcTicks) return false;
        value = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool Digits(string t, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            if (!char.IsAsciiDigit(t[i])) return false;
            value = value * 10 + (t[i] - '0');
        }
        return true;
    }

    private static bool HasExplicitOffset(string t)
    {
        if (t.Length < 20 || t[10] != 'T' || t[4] != '-' || t[7] != '-') return false;
        if (t[^1] == 'Z') return true;
        return t.Length >= 6 && (t[^6] == '+' || t[^6] == '-') && t[^3] == ':'
            && char.IsAsciiDigit(t[^5]) && char.IsAsciiDigit(t[^4]) && char.IsAsciiDigit(t[^2]) && char.IsAsciiDigit(t[^1]);
    }

    private static string Short(string s) => Printable.Escape(s.Length > 40 ? s[..40] + "…" : s);
}
