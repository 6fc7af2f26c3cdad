using Monitor.Contracts;
using Monitor.Contracts.State;
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
    private readonly Dictionary<ulong, SubjectCrowd> _subjects = [];
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
            foreach (var (key, old) in _subjects)
                if (e.OccurredAt - old.Newest > window) _subjects.Remove(key); // removing while enumerating is allowed for Dictionary
        }
        var subject = e.SubjectKey;
        if (!_subjects.TryGetValue(subject, out var crowd)) _subjects[subject] = crowd = new SubjectCrowd();
        if (crowd.Observe(c) is { } f) _publisher.Findings.Add(f);
        _publisher.Publish(c, output);
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(SubjectMonitor));
        w.Write(_subjects, static (w, k) => w.WriteKey(k), static (w, crowd) => crowd.Save(w));
        w.Write(_swept);
        _publisher.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(SubjectMonitor));
        _subjects.Clear();
        r.ReadInto(_subjects, static r => r.ReadKey(), static r =>
        {
            var crowd = new SubjectCrowd();
            crowd.Restore(r);
            return crowd;
        });
        _swept = r.ReadTime();
        _publisher.Restore(r);
    }

    /// <summary>Which share an event's subject belongs to; stable across runs and machines.</summary>
    public static string ShareOf(QueryLogEvent e, int shares)
    {
        var share = e.SubjectKey % (ulong)shares;
        return share < (ulong)Names.Length ? Names[share] : $"subjects-{share}";
    }

    private static readonly string[] Names = Enumerable.Range(0, 64).Select(i => $"subjects-{i}").ToArray();
}
