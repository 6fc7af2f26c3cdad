using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Rules;

namespace Monitor.Detectors;

/// <summary>
/// Detection state of a share of all subjects (subjects are hashed into a fixed number of shares, so there is
/// no actor per person): REPEATED_SUBJECT across users and branches. A subject is forgotten once its last
/// query leaves the window, so memory follows the window's traffic, not history.
/// </summary>
public sealed class SubjectMonitor(DetectorContext context) : IEntityMonitor
{
    private readonly Dictionary<string, SubjectCrowd> _subjects = new(StringComparer.Ordinal);
    private readonly FindingPublisher _publisher = new(context);
    private DateTimeOffset _swept;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        if (!e.IsSuccessfulQuery || string.IsNullOrEmpty(e.SubjectId)) return;
        var c = _publisher.Begin(e, output);
        var window = TimeSpan.FromHours(c.Policy.Rules.RepeatedSubject.CrossWindowHours);
        if (e.OccurredAt - _swept > TimeSpan.FromHours(1))
        {
            _swept = e.OccurredAt;
            foreach (var s in _subjects.Where(s => e.OccurredAt - s.Value.Newest > window).Select(s => s.Key).ToList()) _subjects.Remove(s);
        }
        if (!_subjects.TryGetValue(e.SubjectId, out var crowd)) _subjects[e.SubjectId] = crowd = new SubjectCrowd();
        if (crowd.Observe(c) is { } f) _publisher.Findings.Add(f);
        _publisher.Publish(c, output);
    }

    /// <summary>Which share a subject belongs to; stable across runs and machines.</summary>
    public static string ShareOf(string subjectId, int shares) => $"subjects-{Findings.SubjectKey(subjectId) % (ulong)shares}";
}
