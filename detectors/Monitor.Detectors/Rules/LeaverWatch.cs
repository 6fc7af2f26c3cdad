using System.Globalization;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using NodaTime;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// LEAVER_ACCOUNT for one person: when the HR feed says they left the bank, or moved to another branch, the
/// credit-system accounts they held (all of them, or those of other branches than the new one) must be disabled
/// within <c>leaverAccount.disableWithinDays</c> working days of the effective time (by the end of that working day), and never used after it (管理办法 §9(五), §21;
/// 规范 5.3.2.3). A use after the effective time is a finding on that account at once (critical for a leaver, which
/// suspends by default; high for a transfer); an account still not disabled when the days are over is one finding
/// at that day's close. A bank without the HR feed gets neither: no departure is ever known.
/// </summary>
public sealed class LeaverWatch : IDurableState
{
    private Departure? _departure;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal); // accounts already named as not disabled
    private readonly Dictionary<string, int> _usedDay = new(StringComparer.Ordinal); // account → day its use was last named
    private readonly HashSet<string> _disabled = new(StringComparer.Ordinal); // accounts disabled since the departure (a later reset of their password does not revive them)

    /// <summary>An HR event: a departure starts the watch; joining again ends it.</summary>
    public void Hr(QueryLogEvent e)
    {
        _departure = e.StaffAction is StaffAction.Left or StaffAction.Transferred && e.EffectiveAt is { } effective
            ? new Departure(e.StaffAction.Value, effective, e.BranchId, e.EventId)
            : null;
        _reported.Clear();
        _usedDay.Clear();
    }

    /// <summary>An account event of one of the person's accounts: a disabling is remembered until the account is enabled again.</summary>
    private void Account(QueryLogEvent e)
    {
        if (e.Action is AccountAction.Disabled) _disabled.Add(e.UserId);
        else if (e.Action is AccountAction.Enabled or AccountAction.Reinstated or AccountAction.Created) _disabled.Remove(e.UserId);
    }

    /// <summary>An event of one of the person's accounts: a query or a successful login after the effective time is a finding.</summary>
    public void Use(in EventContext c, string employeeId, List<Finding> into)
    {
        var e = c.Event;
        if (e.Type == EventType.Account) Account(e);
        if (_departure is not { } d || e.OccurredAt < d.EffectiveAt || !Affected(d, e.BranchId)) return;
        if (!(e.IsQuery || e.Type == EventType.Login && e.Outcome is Outcome.Success)) return;
        var day = Findings.DayNumber(c.Day);
        if (_usedDay.TryGetValue(e.UserId, out var named) && named == day) return;
        _usedDay[e.UserId] = day;
        var left = d.Action == StaffAction.Left;
        var what = Phrase.Of(e.IsQuery ? "leaver.read" : "leaver.login");
        into.Add(Findings.OnUser(c, RuleIds.LeaverAccount, left ? Severity.Critical : Severity.High,
            Phrase.Of(left ? "LEAVER_ACCOUNT.usedLeft" : "LEAVER_ACCOUNT.usedMoved", e.UserId, employeeId, what, c.LocalText, Said(d), c.LocalTextOf(d.EffectiveAt))));
    }

    /// <summary>
    /// At a day's close: each affected account still held (not disabled) once the allowed days have passed since the
    /// effective time, named once.
    /// </summary>
    public void Close(DayClose close, string employeeId, IEnumerable<(string UserId, string BranchId)> held, Func<string, BranchPolicy> policyOf,
        Calendar.WorkCalendar calendar, List<Finding> into)
    {
        if (_departure is not { } d) return;
        foreach (var (userId, branchId) in held)
        {
            if (!Affected(d, branchId) || _reported.Contains(userId) || _disabled.Contains(userId)) continue;
            var policy = policyOf(branchId);
            var days = policy.Rules.LeaverAccount.DisableWithinDays;
            var deadline = calendar.WorkingDaysAfter(Instant.FromDateTimeOffset(d.EffectiveAt).InZone(policy.Zone).Date, days);
            if (close.Day < deadline.ToDateOnly().DayNumber) continue;
            _reported.Add(userId);
            var effective = Instant.FromDateTimeOffset(d.EffectiveAt).InZone(policy.Zone).LocalDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            into.Add(new Finding(RuleIds.LeaverAccount, EntityKind.User, userId, userId, branchId, Severity.High, close.At, d.EventId,
                Phrase.Of(days == 1 ? "LEAVER_ACCOUNT.enabledOne" : "LEAVER_ACCOUNT.enabled", userId, branchId, employeeId, days, Said(d), effective))
            {
                Period = DateOnly.FromDayNumber(close.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }
    }

    private static bool Affected(Departure d, string branchId) => d.Action == StaffAction.Left || !string.Equals(branchId, d.BranchId, StringComparison.Ordinal);

    private static Phrase Said(Departure d) => d.Action == StaffAction.Left ? Phrase.Of("said.left") : Phrase.Of("said.moved", d.BranchId);

    /// <summary>What HR said: left or transferred, from when, the branch (the new one for a transfer), and its event.</summary>
    private readonly record struct Departure(StaffAction Action, DateTimeOffset EffectiveAt, string BranchId, string EventId);

    public void Save(StateWriter w)
    {
        w.Section(nameof(LeaverWatch));
        w.Write(_departure.HasValue);
        if (_departure is { } d)
        {
            w.Write((int)d.Action);
            w.Write(d.EffectiveAt);
            w.Write(d.BranchId);
            w.Write(d.EventId);
        }
        w.Write(_reported, static (w, u) => w.Write(u));
        w.Write(_usedDay, static (w, u) => w.Write(u), static (w, d) => w.Write(d));
        w.Write(_disabled, static (w, u) => w.Write(u));
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(LeaverWatch));
        _departure = r.ReadBool() ? new Departure((StaffAction)r.ReadInt(), r.ReadTime(), r.ReadString(), r.ReadString()) : null;
        _reported.Clear();
        _reported.UnionWith(r.ReadList(static r => r.ReadString()));
        _usedDay.Clear();
        r.ReadInto(_usedDay, static r => r.ReadString(), static r => r.ReadInt());
        _disabled.Clear();
        _disabled.UnionWith(r.ReadList(static r => r.ReadString()));
    }
}
