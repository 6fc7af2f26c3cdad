using Monitor.Contracts;
using Monitor.Contracts.State;

namespace Monitor.Detectors.Alerts;

/// <summary>
/// The one way an entity's findings become alerts. <c>Begin</c> moves the entity's alerts on to the
/// event's time and starts the event's findings; <see cref="Publish"/> drops those a suppression covers, folds
/// the rest into the entity's <see cref="AlertBook"/>, and may turn each revision into a permission command.
/// </summary>
public sealed class FindingPublisher(DetectorContext context) : IDurableState
{
    private readonly AlertBook _book = new(context);

    /// <summary>The findings of the event being judged; rules add to it between Begin and Publish.</summary>
    public List<Finding> Findings { get; } = new(4);

    /// <summary>Starts judging an event under its own branch's settings.</summary>
    public Rules.EventContext Begin(QueryLogEvent e, DetectionOutput output) => Begin(e, output, e.BranchId, e.ParentBranchId);

    /// <summary>Starts judging an event under the settings of <paramref name="branchId"/>, all read from one settings version.</summary>
    public Rules.EventContext Begin(QueryLogEvent e, DetectionOutput output, string branchId, string? parentBranchId)
    {
        var now = context.Current;
        var c = Rules.EventContext.Of(e, now.Policies.For(branchId, parentBranchId), now.Calendar);
        _book.AdvanceTo(e.OccurredAt, now.Settings.AllowedLateness, c.Policy.Zone, output.Alerts);
        Findings.Clear();
        return c;
    }

    public void Publish(in Rules.EventContext c, DetectionOutput output, Func<Alert, PermissionCommand?>? decide = null)
    {
        if (Findings.Count == 0) return;
        PublishFindings(c.DayKey, output, decide);
        Findings.Clear(); // judged: nothing of this event is left between events (and so nothing to save)
    }

    private DateTimeOffset? _closingAt; // the day end being closed, between BeginClosing and PublishClosing only

    /// <summary>Starts findings raised with no event to judge (a day window closed by the end-of-day tick at <paramref name="at"/>).</summary>
    public List<Finding> BeginClosing(DateTimeOffset at)
    {
        Findings.Clear();
        _closingAt = at;
        return Findings;
    }

    /// <summary>
    /// Publishes the findings since <see cref="BeginClosing"/>; each carries its own period.
    /// </summary>
    public void PublishClosing(DetectionOutput output, Func<Alert, PermissionCommand?>? decide = null)
    {
        var at = _closingAt;
        _closingAt = null;
        if (Findings.Count == 0) return;
        PublishFindings("", output, decide, at);
        Findings.Clear();
    }

    /// <summary>The alert book is the publisher's only state between events (<see cref="Findings"/> is empty then).</summary>
    public void Save(StateWriter w)
    {
        w.Section(nameof(FindingPublisher));
        _book.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(FindingPublisher));
        Findings.Clear();
        _book.Restore(r);
    }

    private void PublishFindings(string dayKey, DetectionOutput output, Func<Alert, PermissionCommand?>? decide, DateTimeOffset? at = null)
    {
        var suppressions = context.Current.Suppressions;
        foreach (var f in Findings)
        {
            if (suppressions.Covering(f) is not null) continue;
            if (_book.Apply(f, dayKey.Length > 0 ? dayKey : f.Period ?? "", at) is not { } alert) continue;
            output.Alerts.Add(alert);
            if (decide?.Invoke(alert) is { } command) output.Commands.Add(command);
        }
    }
}
