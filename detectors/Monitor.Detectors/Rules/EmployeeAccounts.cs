using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// The accounts one person (employeeId) is seen behind, for two indicators of 人户统一 (管理办法 §9(六)):
/// SHARED_ACCOUNT when more query accounts than allowed are in use by one employee, and ROLE_CONFLICT when
/// one employee holds an administrator account and a query account. An account counts while it was seen
/// within the look-back and has not been disabled, from the first time it was seen: events of one person's
/// accounts come from different partitions, so an account must not count before it existed. Each is a standing
/// condition (<see cref="StandingCondition"/>): raised when it first holds, then only when its accounts change or
/// after <c>repeatDays</c>.
/// </summary>
public sealed class EmployeeAccounts : IDurableState
{
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly StandingCondition _shared = new();
    private readonly StandingCondition _conflict = new();

    public void Observe(in EventContext c, string employeeId, List<Finding> into)
    {
        var e = c.Event;
        var rules = c.Policy.Rules;
        var lookback = TimeSpan.FromDays(Math.Max(rules.SharedAccount.LookbackDays, rules.RoleConflict.LookbackDays));
        if (e.Type == EventType.Account && e.Action is AccountAction.Disabled)
        {
            _accounts.Remove(e.UserId);
            return;
        }
        if (!_accounts.TryGetValue(e.UserId, out var known)) _accounts[e.UserId] = new Account(e.UserRole, e.OccurredAt, e.OccurredAt, e.BranchId);
        else if (known.Seen <= e.OccurredAt) _accounts[e.UserId] = known with { Role = e.UserRole ?? known.Role, Seen = e.OccurredAt, Branch = e.BranchId };
        else if (known.First > e.OccurredAt) _accounts[e.UserId] = known with { First = e.OccurredAt };
        if (_accounts.Count < 2) return; // one person, one account: the usual case, and nothing to judge
        foreach (var id in _accounts.Where(a => e.OccurredAt - a.Value.Seen > lookback).Select(a => a.Key).ToList()) _accounts.Remove(id);
        var held = _accounts.Where(a => a.Value.First <= e.OccurredAt).ToList();
        if (held.Count < 2) return;
        var day = Findings.DayNumber(c.Day);

        var sharedWindow = TimeSpan.FromDays(rules.SharedAccount.LookbackDays);
        var queryAccounts = held.Where(a => IsQueryRole(a.Value.Role) && e.OccurredAt - a.Value.Seen <= sharedWindow).ToList();
        if (queryAccounts.Count > rules.SharedAccount.AccountsPerEmployee && IsQueryRole(e.UserRole)
            && _shared.Due(day, Signature(queryAccounts), rules.SharedAccount.RepeatDays))
        {
            into.Add(Findings.On(c, RuleIds.SharedAccount, EntityKind.Employee, employeeId, Severity.High,
                Phrase.Of("SHARED_ACCOUNT.employee", employeeId, queryAccounts.Count, rules.SharedAccount.LookbackDays, List(queryAccounts), e.UserId, c.LocalText,
                    rules.SharedAccount.AccountsPerEmployee),
                Alerts.Scoring.OfRatio(queryAccounts.Count, rules.SharedAccount.AccountsPerEmployee)));
        }

        var admin = held.Where(a => IsAdminRole(a.Value.Role)).ToList();
        var query = held.Where(a => IsQueryRole(a.Value.Role)).ToList();
        if (admin.Count > 0 && query.Count > 0 && _conflict.Due(day, Signature(admin) + "|" + Signature(query), rules.RoleConflict.RepeatDays))
        {
            into.Add(Findings.On(c, RuleIds.RoleConflict, EntityKind.Employee, employeeId, Severity.High,
                Phrase.Of(RuleIds.RoleConflict, employeeId, List(admin), List(query), rules.RoleConflict.LookbackDays, e.UserId, c.LocalText)));
        }
    }

    /// <summary>
    /// Takes in one account of this person from the bank's account directory: held from its creation, last seen at
    /// its latest activity there (<see cref="AccountSeed.LatestKnown"/>), keeping the later of what the monitor knows.
    /// A disabled account is not held, unless the monitor has seen it in use after the directory's time.
    /// Seeding the same row again changes nothing.
    /// </summary>
    public void Seed(AccountSeed seed)
    {
        var seen = seed.LatestKnown;
        var known = _accounts.TryGetValue(seed.UserId, out var k) ? k : (Account?)null;
        if (seed.Status is AccountDirectoryStatus.Disabled)
        {
            if (known is { } d && d.Seen <= seen) _accounts.Remove(seed.UserId);
            return;
        }
        if (known is not { } a) _accounts[seed.UserId] = new Account(seed.Role, seed.CreatedAt, seen, seed.BranchId);
        else if (a.Seen < seen) _accounts[seed.UserId] = a with { Role = seed.Role, First = Earlier(a.First, seed.CreatedAt), Seen = seen, Branch = seed.BranchId };
        else if (a.First > seed.CreatedAt) _accounts[seed.UserId] = a with { First = seed.CreatedAt, Role = a.Role ?? seed.Role };
        else if (a.Role is null) _accounts[seed.UserId] = a with { Role = seed.Role };
    }

    /// <summary>The accounts the person holds as far as the monitor knows (seen or imported, not disabled), with their branches.</summary>
    public IEnumerable<(string UserId, string BranchId)> Held => _accounts.Select(a => (a.Key, a.Value.Branch));

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>What a standing condition is made of: the accounts, in a fixed order.</summary>
    private static string Signature(List<KeyValuePair<string, Account>> accounts) =>
        string.Join(",", accounts.Select(a => a.Key).Order(StringComparer.Ordinal));

    private static Phrase List(List<KeyValuePair<string, Account>> accounts) =>
        Phrase.Join("sep.comma", accounts.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => Phrase.Of("account.held", a.Key, a.Value.Role is { } r ? Catalog.Wire(r) : Phrase.Of("role.unknown"), a.Value.Branch)));

    private static bool IsAdminRole(UserRole? r) => r is UserRole.UserAdmin or UserRole.GeneralAdmin or UserRole.SuperAdmin;

    private static bool IsQueryRole(UserRole? r) => r is UserRole.QueryOperator or UserRole.WindowQuery or UserRole.DisputeHandler;

    /// <summary>One account of the person: its latest role and branch, when first and last seen.</summary>
    private readonly record struct Account(UserRole? Role, DateTimeOffset First, DateTimeOffset Seen, string Branch);

    public void Save(StateWriter w)
    {
        w.Section(nameof(EmployeeAccounts));
        w.Write(_accounts, static (w, k) => w.Write(k), static (w, a) =>
        {
            w.Write(a.Role.HasValue);
            if (a.Role is { } role) w.WriteEnum(role);
            w.Write(a.First);
            w.Write(a.Seen);
            w.Write(a.Branch);
        });
        _shared.Save(w);
        _conflict.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(EmployeeAccounts));
        _accounts.Clear();
        r.ReadInto(_accounts, static r => r.ReadString(), static r => new Account(r.ReadBool() ? r.ReadEnum<UserRole>() : null, r.ReadTime(), r.ReadTime(), r.ReadString()));
        _shared.Restore(r);
        _conflict.Restore(r);
    }
}
