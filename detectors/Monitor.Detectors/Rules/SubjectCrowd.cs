using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// REPEATED_SUBJECT across the bank: one subject read by many users or many branches within a short window
/// (a person's report passed around, or harvested). Kept per subject only while its queries are inside the
/// window; raised at most once a day per subject.
/// </summary>
public sealed class SubjectCrowd : IDurableState
{
    private readonly List<(DateTimeOffset At, string User, string Branch)> _recent = new(2);
    private int _raisedDay = int.MinValue;

    public DateTimeOffset Newest { get; private set; }

    public Finding? Observe(in EventContext c)
    {
        var e = c.Event;
        var rules = c.Policy.Rules.RepeatedSubject;
        var window = TimeSpan.FromHours(rules.CrossWindowHours);
        if (e.OccurredAt > Newest) Newest = e.OccurredAt;
        var newest = Newest;
        if (_recent.Count > 0 && newest - _recent[0].At > window) _recent.RemoveAll(r => newest - r.At > window);
        _recent.Add((e.OccurredAt, e.UserId, e.BranchId));
        if (_recent.Count > 64) _recent.RemoveAt(0);
        if (_recent.Count < Math.Min(rules.DistinctUsers, rules.DistinctBranches)) return null; // too few reads to reach either threshold
        var users = _recent.Select(r => r.User).Distinct(StringComparer.Ordinal).Count();
        var branches = _recent.Select(r => r.Branch).Distinct(StringComparer.Ordinal).Count();
        if (users < rules.DistinctUsers && branches < rules.DistinctBranches) return null;
        var day = Findings.DayNumber(c.Day);
        if (_raisedDay == day) return null;
        _raisedDay = day;
        var who = Phrase.Join("sep.comma", _recent.Select(r => $"{r.User}@{r.Branch}").Distinct(StringComparer.Ordinal).Take(8));
        return Findings.On(c, RuleIds.RepeatedSubject, EntityKind.Subject, e.SubjectId!, Severity.Medium,
            Phrase.Of("REPEATED_SUBJECT.crowd", e.SubjectId, users, branches, rules.CrossWindowHours, who, rules.DistinctUsers, rules.DistinctBranches),
            Alerts.Scoring.OfRatio(Math.Max((double)users / rules.DistinctUsers, (double)branches / rules.DistinctBranches), 1));
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(SubjectCrowd));
        w.Write(_recent, static (w, x) =>
        {
            w.Write(x.At);
            w.Write(x.User);
            w.Write(x.Branch);
        });
        w.Write(_raisedDay);
        w.Write(Newest);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(SubjectCrowd));
        _recent.Clear();
        _recent.AddRange(r.ReadList(static r => (r.ReadTime(), r.ReadString(), r.ReadString())));
        _raisedDay = r.ReadInt();
        Newest = r.ReadTime();
    }
}
