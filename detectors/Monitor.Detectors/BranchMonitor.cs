using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Behaviour;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Rules;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors;

/// <summary>
/// Detection state of one branch. It sees its own users' successful queries and failed logins, and the
/// successful queries of every branch below it: the fixed and relative VOLUME_SPIKE count its own queries,
/// the subtree thresholds count everything below it too, POST_LOAN_ABUSE knows the subjects the whole
/// subtree has authorized, and LOGIN_FAILURES watches its terminals.
/// </summary>
public sealed class BranchMonitor(string branchId, DetectorContext context) : IEntityMonitor
{
    private readonly VolumeCounter _own = new();
    private readonly VolumeCounter _subtree = new();
    private readonly RelativeVolume _usual = new();
    private readonly PostLoanWatch _postLoan = new();
    private readonly Dictionary<string, FailureWindow> _terminals = new(StringComparer.Ordinal);
    private readonly FindingPublisher _publisher = new(context);
    private readonly BehaviourWatch _behaviour = new(EntityKind.Branch, branchId, context);
    private readonly Phrase _ownLabel = Phrase.Of("label.branch", branchId);
    private readonly Phrase _subtreeLabel = Phrase.Of("label.subtree", branchId);
    private DateTimeOffset _terminalSweep;

    public string BranchId => branchId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        var own = e.BranchId == branchId;
        var c = _publisher.Begin(e, output, branchId, own ? e.ParentBranchId : null);
        var found = _publisher.Findings;
        if (own) _behaviour.Observe(c, output, found);
        if (e.Type == EventType.Login)
        {
            if (own && e.Outcome is Outcome.Failed) TerminalFailure(c);
        }
        else if (e.IsSuccessfulQuery)
        {
            var v = c.Policy.Volume;
            _subtree.Count(c, EntityKind.Branch, branchId, v.SubtreeDaily, v.SubtreeMonthly, _subtreeLabel, found);
            if (own)
            {
                _own.Count(c, EntityKind.Branch, branchId, v.BranchDaily, v.BranchMonthly, _ownLabel, found);
                var peers = e.BranchPeerFactor;
                if (_usual.Count(c.Day, c.Calendar.IsWorkingDay(c.Day), v.RelativeFactor, v.RelativeMinBranch, v.RelativeMinHistoryDays, peers) is { } over)
                {
                    found.Add(Findings.On(c, RuleIds.VolumeSpike, EntityKind.Branch, branchId, Severity.Medium,
                        peers > 1
                            ? Phrase.Of("VOLUME_SPIKE.relativeBusyBranch", _ownLabel, over.Count, c.DayKey, over.Usual, over.Threshold, peers.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture))
                            : Phrase.Of("VOLUME_SPIKE.relative", _ownLabel, over.Count, c.DayKey, over.Usual, over.Threshold),
                        Scoring.OfRatio(over.Count, over.Threshold)));
                }
            }
            _postLoan.Observe(c, own, found);
        }
        _publisher.Publish(c, output);
    }

    public void EndOfDay(DayClose close, DetectionOutput output)
    {
        _behaviour.EndOfDay(close.Day, close.At, output, _publisher.BeginClosing(close.At));
        _publisher.PublishClosing(output);
    }

    /// <summary>The branch's parts in a fixed order; the labels are rebuilt, not saved.</summary>
    public void Save(StateWriter w)
    {
        w.Section(nameof(BranchMonitor));
        _own.Save(w);
        _subtree.Save(w);
        _usual.Save(w);
        _postLoan.Save(w);
        w.Write(_terminals, static (w, id) => w.Write(id), static (w, f) => f.Save(w));
        w.Write(_terminalSweep);
        _publisher.Save(w);
        _behaviour.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(BranchMonitor));
        _own.Restore(r);
        _subtree.Restore(r);
        _usual.Restore(r);
        _postLoan.Restore(r);
        _terminals.Clear();
        r.ReadInto(_terminals, static r => r.ReadString(), static r =>
        {
            var f = new FailureWindow();
            f.Restore(r);
            return f;
        });
        _terminalSweep = r.ReadTime();
        _publisher.Restore(r);
        _behaviour.Restore(r);
    }

    private void TerminalFailure(in EventContext c)
    {
        var e = c.Event;
        if (e.TerminalId is null) return;
        var rules = c.Policy.Rules.LoginFailures;
        var window = TimeSpan.FromMinutes(rules.WindowMinutes);
        if (e.OccurredAt - _terminalSweep > TimeSpan.FromHours(1))
        {
            _terminalSweep = e.OccurredAt;
            foreach (var t in _terminals.Where(t => t.Value.IsStale(e.OccurredAt, window)).Select(t => t.Key).ToList()) _terminals.Remove(t);
        }
        if (!_terminals.TryGetValue(e.TerminalId, out var w)) _terminals[e.TerminalId] = w = new FailureWindow();
        var (failures, accounts) = w.Add(e.OccurredAt, e.UserId, window);
        if (failures < rules.PerTerminal) return;
        _publisher.Findings.Add(Findings.On(c, RuleIds.LoginFailures, EntityKind.Terminal, e.TerminalId, Severity.High,
            Phrase.Of("LOGIN_FAILURES.terminal", e.TerminalId, branchId, failures, accounts, rules.WindowMinutes, c.LocalText, e.UserId, rules.PerTerminal),
            Scoring.OfRatio(failures, rules.PerTerminal)));
    }
}
