using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Behaviour;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Rules;
using Monitor.Detectors.Verification;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors;

/// <summary>
/// All detection state of one credit-system user and the decisions taken on it: the user actor owns one and
/// feeds it the user's events (queries, logins, account events) in order. Pure and clock-free: the same
/// events give the same output.
/// </summary>
public sealed class UserMonitor(string userId, DetectorContext context) : IEntityMonitor
{
    private readonly VolumeCounter _volume = new();
    private readonly RelativeVolume _usual = new();
    private readonly FindingPublisher _publisher = new(context);
    private readonly AccountSightings _sightings = new();
    private readonly SubjectHistory _subjects = new();
    private readonly AccountStatus _status = new();
    private readonly FailureWindow _failures = new();
    private readonly BehaviourWatch _behaviour = new(EntityKind.User, userId, context);
    private readonly DayTally _tally = new();
    private readonly WindowTerminals _terminals = new();
    private readonly RegisterLedger _register = new();
    private readonly AdminGovernance _governance = new();
    private readonly Phrase _label = Phrase.Of("label.user", userId);

    public string UserId => userId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        if (!string.Equals(e.UserId, userId, StringComparison.Ordinal))
        {
            Acted(e, output);
            return;
        }
        var c = _publisher.Begin(e, output);
        _tally.Observe(c, context.Settings.DailySheet.SampleRate);
        if (e.Type == EventType.Register)
        {
            _register.Entry(c); // bookkeeping of the approval register, not the account's own activity
            _register.Due(c, userId, e.OccurredAt, context.Settings.AllowedLateness, Found);
            _publisher.Publish(c, output);
            return;
        }
        _governance.Own(e);
        _status.Observe(c, Found);
        _behaviour.Observe(c, output, Found, CreatedDay(c.Policy.Zone));
        Add(_sightings.Observe(c, TimeSpan.FromMinutes(c.Policy.Rules.SharedAccount.WindowMinutes)));
        if (e.Type == EventType.Login) Login(c);
        if (e.IsQuery)
        {
            Add(EventRules.AdminQuery(c));
            Add(EventRules.NoAuthorization(c));
            Add(EventRules.QueryBeforeAuthorization(c));
            Add(EventRules.OffHours(c));
            Add(EventRules.KioskOffHours(c));
            Add(_terminals.Observe(c));
            _register.Read(c);
            if (e.IsSuccessfulQuery)
            {
                var v = c.Policy.Volume;
                _volume.Count(c, EntityKind.User, userId, v.UserDaily, v.UserMonthly, _label, Found);
                Relative(c);
                _subjects.Observe(c, Found);
            }
        }
        _register.Due(c, userId, e.OccurredAt, context.Settings.AllowedLateness, Found);
        _publisher.Publish(c, output); // suspensions are decided by the coordinator's SuspensionDesk, once per batch
    }

    /// <summary>The account's creation, password change, last query and blocked state from the bank's directory.</summary>
    public void Seed(AccountSeed seed) => _status.Seed(seed);

    public void EndOfDay(DayClose close, DetectionOutput output)
    {
        var found = _publisher.BeginClosing(close.At);
        _behaviour.EndOfDay(close.Day, close.At, output, found, CreatedDay(context.Policies.For(_governance.Branch ?? "", null).Zone));
        var register = _register.Close(close, userId, branch => context.Policies.For(branch, null), found);
        _publisher.PublishClosing(output);
        foreach (var day in _tally.Close(close.Day, userId))
            output.Days.Add(register.TryGetValue(day.Day, out var reconciled) ? day with { Register = reconciled } : day);
    }

    /// <summary>A change this account made to another account: judged for ADMIN_GOVERNANCE only, under this account's branch.</summary>
    private void Acted(QueryLogEvent e, DetectionOutput output)
    {
        var branch = _governance.Branch ?? e.BranchId;
        var c = _publisher.Begin(e, output, branch, null);
        _governance.Acted(c, userId, Found);
        _publisher.Publish(c, output);
    }

    /// <summary>The user's parts in a fixed order; the label is rebuilt, not saved.</summary>
    public void Save(StateWriter w)
    {
        w.Section(nameof(UserMonitor));
        _volume.Save(w);
        _usual.Save(w);
        _publisher.Save(w);
        _sightings.Save(w);
        _subjects.Save(w);
        _status.Save(w);
        _failures.Save(w);
        _behaviour.Save(w);
        _tally.Save(w);
        _terminals.Save(w);
        _register.Save(w);
        _governance.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(UserMonitor));
        _volume.Restore(r);
        _usual.Restore(r);
        _publisher.Restore(r);
        _sightings.Restore(r);
        _subjects.Restore(r);
        _status.Restore(r);
        _failures.Restore(r);
        _behaviour.Restore(r);
        _tally.Restore(r);
        _terminals.Restore(r);
        _register.Restore(r);
        _governance.Restore(r);
    }

    private List<Finding> Found => _publisher.Findings;

    /// <summary>The local day number the account was created on, when known (a new account ramps up and is judged by its peers).</summary>
    private int? CreatedDay(NodaTime.DateTimeZone zone) =>
        _status.Created is { } created ? Findings.DayNumber(NodaTime.Instant.FromDateTimeOffset(created).InZone(zone).Date) : null;

    /// <summary>Whether the account is a new one ramping up on the event's day (no judgement against its own short history).</summary>
    private bool Ramping(in EventContext c) => CreatedDay(c.Policy.Zone) is { } created && Findings.DayNumber(c.Day) - created < context.Settings.Behaviour.RampDays;

    private void Login(in EventContext c)
    {
        var e = c.Event;
        if (e.Outcome is Outcome.Success)
        {
            _failures.Clear();
            return;
        }
        var rules = c.Policy.Rules.LoginFailures;
        var (failures, _) = _failures.Add(e.OccurredAt, userId, TimeSpan.FromMinutes(rules.WindowMinutes));
        if (failures < rules.PerAccount) return;
        Found.Add(Findings.OnUser(c, RuleIds.LoginFailures, Severity.Medium,
            Phrase.Of("LOGIN_FAILURES.account", userId, failures, rules.WindowMinutes, c.LocalText, e.TerminalId is { } t ? t : Phrase.Of("terminal.unknown"), rules.PerAccount),
            Scoring.OfRatio(failures, rules.PerAccount)));
    }

    private void Relative(in EventContext c)
    {
        var v = c.Policy.Volume;
        var peers = c.Event.PeerFactor;
        if (_usual.Count(c.Day, c.Calendar.IsWorkingDay(c.Day), v.RelativeFactor, v.RelativeMinUser, v.RelativeMinHistoryDays, peers) is not { } over) return;
        if (Ramping(c)) return; // a new account's usual is its first, quiet days: its peers judge it, not this
        Found.Add(Findings.OnUser(c, RuleIds.VolumeSpike, Severity.Medium,
            peers > 1
                ? Phrase.Of("VOLUME_SPIKE.relativeBusy", _label, over.Count, c.DayKey, over.Usual, over.Threshold, peers.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture))
                : Phrase.Of("VOLUME_SPIKE.relative", _label, over.Count, c.DayKey, over.Usual, over.Threshold),
            Scoring.OfRatio(over.Count, over.Threshold)));
    }

    private void Add(Finding? f)
    {
        if (f is not null) Found.Add(f);
    }
}
