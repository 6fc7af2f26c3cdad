using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// The subjects one user read recently, for two indicators. REPEATED_SUBJECT: the same subject read
/// <c>perUserCount</c> times within <c>perUserWindowHours</c>. REPEAT_RATIO: among the distinct subjects
/// read in the look-back window, the share read more than once is above the threshold (raised while the
/// user keeps repeating). Subjects are kept as 64-bit keys with their last two query days and forgotten
/// once outside the window.
/// </summary>
public sealed class SubjectHistory : IDurableState
{
    private readonly Dictionary<ulong, (int Last, int Prev, int LastMinute)> _subjects = [];
    private readonly Dictionary<ulong, List<DateTimeOffset>> _repeats = [];
    private int _today = int.MinValue;
    private int _distinct;
    private int _repeated;

    public void Observe(in EventContext c, List<Finding> into)
    {
        var e = c.Event;
        if (!e.IsSuccessfulQuery || string.IsNullOrEmpty(e.SubjectId)) return;
        var rs = c.Policy.Rules.RepeatedSubject;
        var rr = c.Policy.Rules.RepeatRatio;
        var day = Findings.DayNumber(c.Day);
        if (day > _today) Roll(day, rr.LookbackDays, TimeSpan.FromHours(rs.PerUserWindowHours), e.OccurredAt);
        var start = _today - rr.LookbackDays + 1;
        var key = e.SubjectKey;
        var repeat = false;
        var previous = DateTimeOffset.MinValue;
        if (_subjects.TryGetValue(key, out var t))
        {
            var wasPresent = t.Last >= start;
            var wasRepeated = wasPresent && t.Prev >= start;
            if (!wasPresent) _distinct++;
            else if (!wasRepeated) _repeated++;
            _subjects[key] = (Math.Max(day, t.Last), Math.Min(day, t.Last), Minute(e.OccurredAt));
            repeat = wasPresent;
            previous = FromMinute(t.LastMinute);
        }
        else
        {
            _subjects[key] = (day, int.MinValue, Minute(e.OccurredAt));
            _distinct++;
        }
        if (!repeat) return;

        var window = TimeSpan.FromHours(rs.PerUserWindowHours);
        if (!_repeats.TryGetValue(key, out var times)) _repeats[key] = times = new List<DateTimeOffset>(4) { previous };
        times.Add(e.OccurredAt);
        times.RemoveAll(x => e.OccurredAt - x > window);
        if (times.Count > rs.PerUserCount * 4) times.RemoveAt(0);
        if (times.Count >= rs.PerUserCount)
        {
            into.Add(Findings.OnUser(c, RuleIds.RepeatedSubject, Severity.Medium,
                Phrase.Of("REPEATED_SUBJECT.user", e.UserId, e.SubjectId, times.Count, rs.PerUserWindowHours, c.LocalText,
                    e.Purpose is { } p ? Catalog.Wire(p) : Phrase.Of("purpose.none"), rs.PerUserCount),
                Alerts.Scoring.OfRatio(times.Count, rs.PerUserCount)));
        }

        if (_distinct >= rr.MinSubjects && _repeated > rr.Threshold * _distinct)
        {
            var share = (double)_repeated / _distinct;
            into.Add(Findings.OnUser(c, RuleIds.RepeatRatio, Severity.Medium,
                Phrase.Of(RuleIds.RepeatRatio, e.UserId, _distinct, rr.LookbackDays, _repeated, Findings.Pct(share), Findings.Pct(rr.Threshold)),
                Alerts.Scoring.OfRatio(share, rr.Threshold)));
        }
    }

    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static int Minute(DateTimeOffset t) => (int)Math.Clamp((t - Epoch).TotalMinutes, 0, int.MaxValue);

    private static DateTimeOffset FromMinute(int minute) => Epoch.AddMinutes(minute);

    private void Roll(int day, int lookbackDays, TimeSpan window, DateTimeOffset now)
    {
        _today = day;
        var start = day - lookbackDays + 1;
        _distinct = 0;
        _repeated = 0;
        List<ulong>? gone = null;
        foreach (var (k, t) in _subjects)
        {
            if (t.Last < start) (gone ??= []).Add(k);
            else
            {
                _distinct++;
                if (t.Prev >= start) _repeated++;
            }
        }
        if (gone is not null) foreach (var k in gone) _subjects.Remove(k);
        List<ulong>? stale = null;
        foreach (var (k, times) in _repeats)
            if (times.Count == 0 || now - times[^1] > window) (stale ??= []).Add(k);
        if (stale is not null) foreach (var k in stale) _repeats.Remove(k);
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(SubjectHistory));
        w.Write(_subjects, static (w, k) => w.WriteKey(k), static (w, t) =>
        {
            w.Write(t.Last);
            w.Write(t.Prev);
            w.Write(t.LastMinute);
        });
        w.Write(_repeats, static (w, k) => w.WriteKey(k), static (w, times) => w.Write(times, static (w, t) => w.Write(t)));
        w.Write(_today);
        w.Write(_distinct);
        w.Write(_repeated);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(SubjectHistory));
        _subjects.Clear();
        r.ReadInto(_subjects, static r => r.ReadKey(), static r => (r.ReadInt(), r.ReadInt(), r.ReadInt()));
        _repeats.Clear();
        r.ReadInto(_repeats, static r => r.ReadKey(), static r => r.ReadList(static r => r.ReadTime()));
        _today = r.ReadInt();
        _distinct = r.ReadInt();
        _repeated = r.ReadInt();
    }
}
