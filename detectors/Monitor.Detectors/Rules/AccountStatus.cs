using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// What the account events and the account's own activity say about one account, for DORMANT_ACCOUNT (idle
/// means no successful query: logging in without reading a report is not use) and PASSWORD_AGE. Only what the monitor has seen counts: an account whose last activity or password change it
/// never saw is not judged on it.
/// </summary>
public sealed class AccountStatus : IDurableState
{
    private DateTimeOffset? _lastActive;
    private DateTimeOffset? _passwordChanged;
    private DateTimeOffset? _passwordAlerted;
    private (AccountAction Action, DateTimeOffset At, string? By)? _blocked;

    /// <summary>When the account was created, when the monitor saw it (an account event) or the bank's directory said so.</summary>
    public DateTimeOffset? Created { get; private set; }

    public void Observe(in EventContext c, List<Finding> into)
    {
        var e = c.Event;
        if (e.Type == EventType.Account)
        {
            switch (e.Action)
            {
                case AccountAction.Disabled or AccountAction.Suspended:
                    _blocked = (e.Action.Value, e.OccurredAt, e.ActorUserId);
                    break;
                case AccountAction.Enabled or AccountAction.Reinstated:
                    _blocked = null;
                    _lastActive = Later(_lastActive, e.OccurredAt);
                    break;
                case AccountAction.Created:
                    Created = Later(Created, e.OccurredAt);
                    _blocked = null;
                    _lastActive = Later(_lastActive, e.OccurredAt);
                    _passwordChanged = Later(_passwordChanged, e.OccurredAt);
                    break;
                case AccountAction.PasswordChanged:
                    _passwordChanged = Later(_passwordChanged, e.OccurredAt);
                    _passwordAlerted = null;
                    break;
            }
            return;
        }
        if (e.Outcome is not Outcome.Success) return;
        PasswordAge(c, into);
        if (!e.IsQuery) return;
        Dormant(c, into);
        _lastActive = Later(_lastActive, e.OccurredAt);
    }

    private void Dormant(in EventContext c, List<Finding> into)
    {
        var e = c.Event;
        if (_blocked is { } b && b.At <= e.OccurredAt)
        {
            into.Add(Findings.OnUser(c, RuleIds.DormantAccount, Severity.Critical, b.By is null
                ? Phrase.Of("DORMANT_ACCOUNT.blocked", e.UserId, c.LocalText, Catalog.Wire(b.Action), c.LocalTextOf(b.At))
                : Phrase.Of("DORMANT_ACCOUNT.blockedBy", e.UserId, c.LocalText, Catalog.Wire(b.Action), c.LocalTextOf(b.At), b.By), 1));
            return;
        }
        var idleDays = c.Policy.Rules.Dormant.IdleDays;
        if (_lastActive is { } last && e.OccurredAt - last >= TimeSpan.FromDays(idleDays))
        {
            var idle = e.OccurredAt - last;
            into.Add(Findings.OnUser(c, RuleIds.DormantAccount, Severity.Medium,
                Phrase.Of("DORMANT_ACCOUNT.idle", e.UserId, c.LocalText, (int)idle.TotalDays, c.LocalTextOf(last), idleDays), Alerts.Scoring.OfRatio(idle.TotalDays, idleDays)));
        }
    }

    private void PasswordAge(in EventContext c, List<Finding> into)
    {
        if (_passwordChanged is not { } changed) return;
        var e = c.Event;
        var rules = c.Policy.Rules.PasswordAge;
        var due = changed.AddMonths(rules.MaxMonths);
        if (e.OccurredAt <= due) return;
        if (_passwordAlerted is { } alerted && e.OccurredAt - alerted < TimeSpan.FromDays(rules.RepeatDays)) return;
        _passwordAlerted = e.OccurredAt;
        var age = e.OccurredAt - changed;
        into.Add(Findings.OnUser(c, RuleIds.PasswordAge, Severity.Low,
            Phrase.Of(RuleIds.PasswordAge, e.UserId, c.LocalText, c.LocalTextOf(changed), (int)age.TotalDays, rules.MaxMonths), Alerts.Scoring.OfRatio(age.TotalDays, (due - changed).TotalDays)));
    }

    /// <summary>
    /// Takes in what the bank's account directory says about this account, keeping the later of what the monitor
    /// knows and what the directory says: creation, password change and last query only move forward. The
    /// directory's status holds as of <see cref="AccountSeed.LatestKnown"/>: it blocks or unblocks the account
    /// unless the monitor has seen the account active after that. Seeding the same row again changes nothing.
    /// </summary>
    public void Seed(AccountSeed seed)
    {
        var asOf = seed.LatestKnown;
        var newer = _lastActive > asOf || (_blocked is { } b && b.At > asOf);
        if (!newer)
        {
            if (seed.Status is AccountDirectoryStatus.Active) _blocked = null;
            else if (_blocked is null) _blocked = (seed.Status is AccountDirectoryStatus.Disabled ? AccountAction.Disabled : AccountAction.Suspended, asOf, null);
        }
        var password = Later(_passwordChanged, seed.PasswordChangedAt);
        if (password != _passwordChanged) _passwordAlerted = null;
        _passwordChanged = password;
        _lastActive = Later(_lastActive, seed.LastQueryAt ?? seed.CreatedAt);
        Created ??= seed.CreatedAt;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    public void Save(StateWriter w)
    {
        w.Section(nameof(AccountStatus));
        w.Write(_lastActive);
        w.Write(_passwordChanged);
        w.Write(_passwordAlerted);
        w.Write(_blocked.HasValue);
        if (_blocked is { } b)
        {
            w.WriteEnum(b.Action);
            w.Write(b.At);
            w.WriteNullable(b.By);
        }
        w.Write(Created);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(AccountStatus));
        _lastActive = r.ReadNullableTime();
        _passwordChanged = r.ReadNullableTime();
        _passwordAlerted = r.ReadNullableTime();
        _blocked = r.ReadBool() ? (r.ReadEnum<AccountAction>(), r.ReadTime(), r.ReadNullableString()) : null;
        Created = r.ReadNullableTime();
    }
}
