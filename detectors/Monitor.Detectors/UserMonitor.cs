using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Rules;
using Monitor.Detectors.Suspension;

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
    private readonly SuspensionTracker _suspension = new();
    private readonly AccountSightings _sightings = new();
    private readonly SubjectHistory _subjects = new();
    private readonly AccountStatus _status = new();
    private readonly FailureWindow _failures = new();
    private readonly List<Finding> _findings = new(4);

    public string UserId => userId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        var now = context.Current;
        var c = EventContext.Of(e, now.Policies, now.Calendar);
        _publisher.Book.AdvanceTo(e.OccurredAt, now.Settings.AllowedLateness, c.Policy.Zone, output.Alerts);
        _suspension.Observe(e);
        _findings.Clear();
        _status.Observe(c, _findings);
        Add(_sightings.Observe(c, TimeSpan.FromMinutes(c.Policy.Rules.SharedAccount.WindowMinutes)));
        if (e.Type == EventType.Login) Login(c);
        if (e.IsQuery)
        {
            Add(EventRules.AdminQuery(c));
            Add(EventRules.NoAuthorization(c));
            Add(EventRules.QueryBeforeAuthorization(c));
            Add(EventRules.OffHours(c));
            Add(EventRules.KioskOffHours(c));
            if (e.IsSuccessfulQuery)
            {
                var v = c.Policy.Volume;
                _volume.Count(c, EntityKind.User, userId, v.UserDaily, v.UserMonthly, $"user {userId}", _findings);
                Relative(c);
                _subjects.Observe(c, _findings);
            }
        }
        _publisher.Publish(_findings, c, output, alert => _suspension.Decide(alert, e.BranchId));
    }

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
        _findings.Add(Findings.OnUser(c, RuleIds.LoginFailures, Severity.Medium,
            $"account {userId} had {failures} failed logins within {rules.WindowMinutes} min (latest {c.LocalText} local, terminal {e.TerminalId ?? "unknown"}); "
            + $"the threshold is {rules.PerAccount}", Scoring.OfRatio(failures, rules.PerAccount)));
    }

    private void Relative(in EventContext c)
    {
        var v = c.Policy.Volume;
        if (_usual.Count(c.Day, c.Calendar.IsWorkingDay(c.Day), v.RelativeFactor, v.RelativeMinUser, v.RelativeMinHistoryDays) is not { } over) return;
        _findings.Add(Findings.OnUser(c, RuleIds.VolumeSpike, Severity.Medium,
            $"user {userId} queried {over.Count} credit reports on {c.DayKey}; its usual day is {over.Usual} (threshold {over.Threshold})",
            Scoring.OfRatio(over.Count, over.Threshold)));
    }

    private void Add(Finding? f)
    {
        if (f is not null) _findings.Add(f);
    }
}
