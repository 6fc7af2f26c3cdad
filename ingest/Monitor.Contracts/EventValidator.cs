using System.Globalization;

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
        reason = Required(w.EventId, "eventId") ?? Required(w.Type, "type") ?? Required(w.OccurredAt, "occurredAt")
            ?? Required(w.UserId, "userId") ?? Required(w.BranchId, "branchId")
            ?? Optional(w.EmployeeId, "employeeId") ?? Optional(w.ParentBranchId, "parentBranchId")
            ?? Optional(w.TerminalId, "terminalId") ?? Optional(w.Ip, "ip") ?? Optional(w.SubjectId, "subjectId")
            ?? Optional(w.AuthorizationId, "authorizationId") ?? Optional(w.ActorUserId, "actorUserId");
        if (reason is not null) return false;

        if (!Enum<EventType>(w.Type, "type", out var type, out reason)) return false;
        if (!Enum<UserRole>(w.UserRole, "userRole", out var role, out reason)) return false;
        if (!Enum<Channel>(w.Channel, "channel", out var channel, out reason)) return false;
        if (!Enum<SubjectType>(w.SubjectType, "subjectType", out var subjectType, out reason)) return false;
        if (!Enum<Purpose>(w.Purpose, "purpose", out var purpose, out reason)) return false;
        if (!Enum<Outcome>(w.Outcome, "outcome", out var outcome, out reason)) return false;
        if (!Enum<AccountAction>(w.Action, "action", out var action, out reason)) return false;
        if (!TryTime(w.OccurredAt!, "occurredAt", out var occurredAt, out reason)) return false;
        DateTimeOffset? authorizedAt = null;
        if (w.AuthorizedAt is not null)
        {
            if (!TryTime(w.AuthorizedAt, "authorizedAt", out var a, out reason)) return false;
            authorizedAt = a;
        }

        switch (type!.Value)
        {
            case EventType.Query when purpose is null:
                reason = "missing field: 'purpose' is required on query events";
                return false;
            case EventType.Account when action is null:
                reason = "missing field: 'action' is required on account events";
                return false;
            case EventType.Login when outcome is null:
                reason = "missing field: 'outcome' is required on login events";
                return false;
        }

        evt = new QueryLogEvent
        {
            EventId = w.EventId!,
            Type = type.Value,
            OccurredAt = occurredAt,
            UserId = w.UserId!,
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
        };
        return true;
    }

    private static string? Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? $"missing field: '{field}' is required" : Optional(value, field);

    private static string? Optional(string? value, string field) =>
        value is { Length: > MaxIdLength } ? $"invalid value: '{field}' is longer than {MaxIdLength} characters" : null;

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
        var shown = text.Length > 40 ? text[..40] + "…" : text;
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
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            reason = $"invalid time: '{field}' is '{Short(text)}', not an ISO-8601 time";
            return false;
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

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
