using System.Globalization;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// ADMIN_GOVERNANCE for one administrator account, judged on the changes it makes to other accounts (account events
/// whose <c>actorUserId</c> is this account; the planner routes them here too): creating an administrator at its own
/// branch (its own level) or of a higher role than its own; resetting other users' passwords more than
/// <c>passwordResetsPerMonth</c> times in a calendar month; creating, disabling, enabling or changing the roles of
/// accounts in a burst (<c>burstChanges</c> within <c>burstMinutes</c>) or outside working hours (管理办法 §9(二)(四),
/// §26(四); 用户管理规范 5.1, 5.2). Its own role and branch come from its own events. Each kind is raised at most
/// once a day (the resets once a month). Suspensions and reinstatements are left out: they are security actions.
/// </summary>
public sealed class AdminGovernance : IDurableState
{
    private UserRole? _role;
    private string? _branch;
    private int _resetMonth = int.MinValue;
    private int _resets;
    private readonly Queue<DateTimeOffset> _changes = new();
    private int _sameLevelDay = int.MinValue;
    private int _burstDay = int.MinValue;
    private int _offHoursDay = int.MinValue;

    /// <summary>The account's own role and branch, from its own events.</summary>
    public void Own(QueryLogEvent e)
    {
        if (e.UserRole is { } role) _role = role;
        _branch = e.BranchId;
    }

    /// <summary>The branch the administrator sits in, once its own events named it.</summary>
    public string? Branch => _branch;

    /// <summary>A change this account made to another account (<c>c.Event.UserId</c> is the other account).</summary>
    public void Acted(in EventContext c, string adminId, List<Finding> into)
    {
        var e = c.Event;
        if (e.Type != EventType.Account || e.Action is not { } action) return;
        var s = c.Policy.Rules.AdminGovernance;
        var day = Findings.DayNumber(c.Day);
        var verb = Verb(action);
        if (action is AccountAction.Created or AccountAction.RoleChanged && Rank(e.UserRole) > 0 && _role is { } own && Rank(own) > 0 && _sameLevelDay != day
            && (Rank(e.UserRole) > Rank(own) || string.Equals(e.BranchId, _branch, StringComparison.Ordinal)))
        {
            _sameLevelDay = day;
            var why = Rank(e.UserRole) > Rank(own) ? Phrase.Of("why.higherRole", Catalog.Wire(own)) : Phrase.Of("why.ownLevel", e.BranchId);
            into.Add(On(c, adminId, Severity.High, Phrase.Of("ADMIN_GOVERNANCE.level", adminId, verb, e.UserId, Catalog.Wire(e.UserRole!.Value), c.LocalText, why)));
        }
        if (action is AccountAction.PasswordChanged)
        {
            var month = c.Day.Year * 12 + c.Day.Month;
            if (month != _resetMonth) (_resetMonth, _resets) = (month, 0);
            if (++_resets == s.PasswordResetsPerMonth + 1)
                into.Add(On(c, adminId, Severity.Medium, Phrase.Of("ADMIN_GOVERNANCE.resets", adminId, _resets, c.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                    e.UserId, c.LocalText, s.PasswordResetsPerMonth), Scoring.OfRatio(_resets, s.PasswordResetsPerMonth)));
        }
        if (action is not (AccountAction.Created or AccountAction.Disabled or AccountAction.Enabled or AccountAction.RoleChanged)) return;
        _changes.Enqueue(e.OccurredAt);
        while (_changes.Count > 0 && e.OccurredAt - _changes.Peek() > TimeSpan.FromMinutes(s.BurstMinutes)) _changes.Dequeue();
        if (_changes.Count >= s.BurstChanges && _burstDay != day)
        {
            _burstDay = day;
            into.Add(On(c, adminId, Severity.Medium, Phrase.Of("ADMIN_GOVERNANCE.burst", adminId, _changes.Count, s.BurstMinutes, verb, e.UserId, c.LocalText, s.BurstChanges),
                Scoring.OfRatio(_changes.Count, s.BurstChanges)));
        }
        if (s.OffHours && !c.InWorkingHours && _offHoursDay != day)
        {
            _offHoursDay = day;
            into.Add(On(c, adminId, Severity.Medium, Phrase.Of("ADMIN_GOVERNANCE.offHours", adminId, verb, e.UserId, c.LocalText)));
        }
    }

    private Finding On(in EventContext c, string adminId, Severity severity, Phrase explanation, double magnitude = 0) =>
        new(RuleIds.AdminGovernance, EntityKind.User, adminId, adminId, _branch ?? c.Event.BranchId, severity, c.Event.OccurredAt, c.Event.EventId, explanation)
        {
            Magnitude = magnitude,
        };

    /// <summary>What the administrator did, as a verb ("created", "changed the role of").</summary>
    private static Phrase Verb(AccountAction a) => Phrase.Of("verb." + WireNames.Of(a));

    /// <summary>Administrator roles by power; 0 for the query roles.</summary>
    private static int Rank(UserRole? r) => r switch
    {
        UserRole.UserAdmin => 1,
        UserRole.GeneralAdmin => 2,
        UserRole.SuperAdmin => 3,
        _ => 0,
    };

    public void Save(StateWriter w)
    {
        w.Section(nameof(AdminGovernance));
        w.Write(_role.HasValue ? (int)_role.Value : -1);
        w.WriteNullable(_branch);
        w.Write(_resetMonth);
        w.Write(_resets);
        w.Write(_changes, static (w, t) => w.Write(t));
        w.Write(_sameLevelDay);
        w.Write(_burstDay);
        w.Write(_offHoursDay);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(AdminGovernance));
        var role = r.ReadInt();
        _role = role < 0 ? null : (UserRole)role;
        _branch = r.ReadNullableString();
        _resetMonth = r.ReadInt();
        _resets = r.ReadInt();
        _changes.Clear();
        foreach (var t in r.ReadList(static r => r.ReadTime())) _changes.Enqueue(t);
        _sameLevelDay = r.ReadInt();
        _burstDay = r.ReadInt();
        _offHoursDay = r.ReadInt();
    }
}
