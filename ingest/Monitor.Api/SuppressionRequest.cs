using Microsoft.AspNetCore.Http;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// An analyst's request to suppress a rule on an entity, read from the body
/// <c>{"rule", "entityType", "entityId", "reason", "until"}</c> and checked before the store is asked, each
/// mistake answered 400 naming its field: a known rule id, an entity type the alerts use, an entity id, a reason
/// (it goes into the audit log), and an expiry with an explicit offset that is in the future and at most
/// <see cref="MaxDays"/> days ahead, so that every suppression is looked at again within a quarter.
/// </summary>
internal static class SuppressionRequest
{
    /// <summary>The longest a suppression made through the API may last; a longer one is made again when it runs out.</summary>
    public const int MaxDays = 90;

    private static readonly string[] Names = ["rule", "entityType", "entityId", "reason", "until"];

    public static async Task<(NewSuppression? Request, IResult? Error)> ReadAsync(HttpRequest r, DateTimeOffset now)
    {
        var (fields, error) = await Problems.Fields(r, Names);
        if (error is not null) return (null, error);
        return Check(fields, now);
    }

    /// <summary>Checks the body's fields (already read as strings) at <paramref name="now"/>.</summary>
    public static (NewSuppression? Request, IResult? Error) Check(IReadOnlyDictionary<string, string> fields, DateTimeOffset now)
    {
        var rule = fields.GetValueOrDefault("rule");
        if (string.IsNullOrEmpty(rule)) return Bad("rule", $"is required, a rule id ({string.Join("|", RuleIds.All)})");
        if (!RuleIds.All.Contains(rule)) return Bad("rule", $"'{rule}' is not a rule id ({string.Join("|", RuleIds.All)})");
        var type = fields.GetValueOrDefault("entityType");
        if (string.IsNullOrEmpty(type)) return Bad("entityType", $"is required, one of {string.Join("|", EntityTypeNames.All)}");
        if (!EntityTypeNames.All.Contains(type)) return Bad("entityType", $"'{type}' is not one of {string.Join("|", EntityTypeNames.All)}");
        var id = fields.GetValueOrDefault("entityId");
        if (string.IsNullOrEmpty(id)) return Bad("entityId", "is required: the id the alerts name (a user, branch, employee, terminal or subject id)");
        if (id.Length > 128 || id.Any(char.IsWhiteSpace)) return Bad("entityId", "is not an id (up to 128 characters, no spaces)");
        var reason = fields.GetValueOrDefault("reason");
        if (string.IsNullOrWhiteSpace(reason)) return Bad("reason", "is required: say why the pattern is accepted, it goes into the audit log");
        var text = fields.GetValueOrDefault("until");
        if (string.IsNullOrEmpty(text)) return Bad("until", "is required: when the suppression ends, an ISO-8601 time with offset (e.g. 2026-05-01T00:00:00+08:00)");
        if (!QueryTime.TryParse(text, out var until))
            return Bad("until", $"'{text}' is not an ISO-8601 time with offset (e.g. 2026-05-01T00:00:00+08:00 or 2026-05-01T00:00:00Z)");
        if (until <= now) return Bad("until", $"{text} is not in the future");
        if (until > now.AddDays(MaxDays)) return Bad("until", $"{text} is more than {MaxDays} days ahead; make it at most {MaxDays} days and make a new one then if the pattern still holds");
        return (new NewSuppression(rule, type, id, reason.Trim(), until), null);
    }

    private static (NewSuppression?, IResult?) Bad(string field, string message) => (null, Problems.Bad(field, message));
}
