using Monitor.Contracts;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Alerts;

/// <summary>
/// One cause, one case (issue 18): which case an alert belongs to, decided here and nowhere else. A branch's own alert
/// is its branch-day's case. A user's alert of a rule a branch-wide surge explains (<c>cases.branchRules</c>: volume, the
/// models, post-loan counts) joins its branch-day's case when the rest of its branch was at least
/// <c>cases.branchFactor</c> times as far above its usual as the rest of the bank when it was found: one injected spike
/// of a sub-branch is one case, not twenty alerts to work one by one. Every other alert is its user-day's case (alerts on
/// a person, a terminal or a subject go by the account they name), or its entity-day's when it names no account. The id
/// reads as what it is, <c>branch:SB0203:2026-11-05</c> or <c>user:QO010104:2026-09-20</c>, so a replay gives the same
/// cases and an officer can tell one from its id.
/// </summary>
public static class CaseLinker
{
    /// <summary>The case of an alert whose first finding is <paramref name="first"/>, of local day <paramref name="day"/>, found at most with <paramref name="surge"/>.</summary>
    public static string CaseOf(Finding first, string day, double surge, CaseSettings s)
    {
        if (first.EntityKind == EntityKind.Branch) return Id("branch", first.EntityId, day);
        if (first.UserId is { } user)
        {
            if (first.BranchId is { } branch && surge >= s.BranchFactor && s.BranchRules.Contains(first.Rule)) return Id("branch", branch, day);
            return Id("user", user, day);
        }
        return Id(EntityTypes.Of(first.EntityKind), first.EntityId, day);
    }

    /// <summary>The id of the case of <paramref name="entityType"/> <paramref name="entityId"/> on <paramref name="day"/>.</summary>
    public static string Id(string entityType, string entityId, string day) => $"{entityType}:{entityId}:{day}";
}
