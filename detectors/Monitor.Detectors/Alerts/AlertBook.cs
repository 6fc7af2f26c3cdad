using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Suspension;
using NodaTime;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Alerts;

/// <summary>
/// The open alerts of one entity: one per rule and period (local day, or month for monthly thresholds).
/// A finding either opens an alert or updates it; a revision is published when an alert opens, when its
/// count reaches a power of two, when its severity rises, and once more when its period closes with
/// unpublished changes. Closed periods are forgotten, so memory stays bounded.
/// </summary>
public sealed class AlertBook(DetectorContext context) : IDurableState
{
    /// <summary>Evidence kept per alert; the count keeps growing past it.</summary>
    public const int MaxEvidence = 20;

    private readonly Dictionary<(string Rule, EntityKind Kind, string Entity, string Period), OpenAlert> _open = [];
    private readonly Dictionary<(string Rule, EntityKind Kind, string Entity, string Period), OpenAlert> _closed = [];
    private DateTimeOffset _watermark = DateTimeOffset.MinValue;
    private Instant _nextClose = Instant.MinValue;

    /// <summary>
    /// Folds a finding in; returns the revision to publish, or null when nothing worth publishing changed. A new alert is
    /// detected at the entity's event time, or at <paramref name="at"/> for a finding of a day end.
    /// </summary>
    public Alert? Apply(Finding f, string dayKey, DateTimeOffset? at = null)
    {
        var period = f.Period ?? dayKey;
        var key = (f.Rule, f.EntityKind, f.EntityId, period);
        if (!_open.TryGetValue(key, out var a) && _closed.Remove(key, out var reopened))
        {
            // A late finding for a period already closed (a branch fed by a lagging partition): the same alert
            // continues with its next revision instead of starting again at revision 1.
            _open[key] = a = reopened;
        }
        if (a is null)
        {
            var now = at ?? (_watermark > f.EventTime ? _watermark : f.EventTime);
            a = new OpenAlert(f, period, dayKey, now > f.EventTime ? now : f.EventTime);
            _open[key] = a;
            return Publish(a);
        }
        var severityRose = a.Add(f);
        return severityRose || (a.Count & (a.Count - 1)) == 0 ? Publish(a) : null;
    }

    /// <summary>
    /// Moves the entity's event time on to <paramref name="eventTime"/> and closes the periods that ended more
    /// than <paramref name="lateness"/> before it (in <paramref name="zone"/>), publishing their final revisions.
    /// Between local midnights this is one comparison.
    /// </summary>
    public void AdvanceTo(DateTimeOffset eventTime, TimeSpan lateness, DateTimeZone zone, List<Alert> into)
    {
        if (eventTime <= _watermark) return;
        _watermark = eventTime;
        var horizon = Instant.FromDateTimeOffset(eventTime - lateness);
        if (horizon < _nextClose) return;
        var closedBefore = horizon.InZone(zone).Date;
        _nextClose = zone.AtStartOfDay(closedBefore.PlusDays(1)).ToInstant();
        Close(closedBefore.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), into);
    }

    /// <summary>
    /// Closes the periods that ended before <paramref name="closedBefore"/> (a day key, compared as text),
    /// returning final revisions for those with unpublished changes.
    /// </summary>
    public void Close(string closedBefore, List<Alert> into)
    {
        List<(string, EntityKind, string, string)>? done = null;
        foreach (var (key, a) in _open)
        {
            // A month period "2026-04" sorts before every day of that month, so it closes with the month's first
            // day; it must stay open until a day of a later month is reached.
            var end = a.Period.Length == 7 ? a.Period + "-32" : a.Period;
            if (string.CompareOrdinal(end, closedBefore) >= 0) continue;
            if (a.Dirty) into.Add(Publish(a));
            (done ??= []).Add(key);
        }
        if (done is not null)
        {
            foreach (var k in done)
            {
                _closed[k] = _open[k];
                _open.Remove(k);
            }
        }
        // Closed alerts are remembered for three more days of event time, then forgotten.
        var forget = _closed.Keys.Where(k => string.CompareOrdinal(k.Period.Length == 7 ? k.Period + "-32" : k.Period, DaysBefore(closedBefore, 3)) < 0).ToList();
        foreach (var k in forget) _closed.Remove(k);
    }

    private static string DaysBefore(string day, int days) =>
        DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the open and recently closed alerts with their counts and revision numbers, so the first revision
    /// after a restart continues the last one published before it.
    /// </summary>
    public void Save(StateWriter w)
    {
        w.Section(nameof(AlertBook));
        w.Write(_open.Values, static (w, a) => a.Save(w));
        w.Write(_closed.Values, static (w, a) => a.Save(w));
        w.Write(_watermark);
        w.Write(_nextClose.ToUnixTimeTicks());
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(AlertBook));
        _open.Clear();
        foreach (var a in r.ReadList(OpenAlert.Read)) _open.Add(a.Key, a);
        _closed.Clear();
        foreach (var a in r.ReadList(OpenAlert.Read)) _closed.Add(a.Key, a);
        _watermark = r.ReadTime();
        _nextClose = Instant.FromUnixTimeTicks(r.ReadLong());
    }

    private Alert Publish(OpenAlert a)
    {
        var alert = a.Publish();
        alert = alert with { CaseId = CaseLinker.CaseOf(a.First, alert.Day, a.MaxSurge, context.Settings.Cases) };
        return SuspensionPolicy.Asks(context.Settings.Suspension, alert) is null ? alert : alert with { SuspensionRequested = true };
    }

    private sealed class OpenAlert
    {
        private readonly List<string> _evidence = new(4);
        private Finding _worst;
        private int _revision;

        public OpenAlert(Finding first, string period, string day, DateTimeOffset detectedAt)
        {
            DetectedAt = detectedAt;
            MaxSurge = first.BranchSurge;
            First = first;
            _worst = first;
            Last = first;
            Period = period;
            Day = day;
            Count = 1;
            _evidence.Add(first.EventId);
        }

        private OpenAlert(Finding first, Finding last, Finding worst, string period, string day, int count, bool dirty, int revision, List<string> evidence, DateTimeOffset detectedAt, double maxSurge)
        {
            DetectedAt = detectedAt;
            MaxSurge = maxSurge;
            First = first;
            Last = last;
            _worst = worst;
            Period = period;
            Day = day;
            Count = count;
            Dirty = dirty;
            _revision = revision;
            _evidence.AddRange(evidence);
        }

        /// <summary>The book's key of this alert: its first finding's rule and entity, and its period.</summary>
        public (string Rule, EntityKind Kind, string Entity, string Period) Key => (First.Rule, First.EntityKind, First.EntityId, Period);

        public Finding First { get; }

        /// <summary>The entity's event time when the alert opened.</summary>
        public DateTimeOffset DetectedAt { get; }

        /// <summary>The largest branch surge any of its findings was made in (<see cref="CaseLinker"/>).</summary>
        public double MaxSurge { get; private set; }
        public Finding Last { get; private set; }
        public string Period { get; }
        public string Day { get; }
        public int Count { get; private set; }
        public bool Dirty { get; private set; }
        public string Rule => First.Rule;
        public Severity Severity => _worst.Severity;

        /// <summary>Adds a finding; true when the alert's severity rose.</summary>
        public bool Add(Finding f)
        {
            Count++;
            MaxSurge = Math.Max(MaxSurge, f.BranchSurge);
            Dirty = true;
            if (f.EventTime >= Last.EventTime) Last = f;
            if (_evidence.Count < MaxEvidence) _evidence.Add(f.EventId);
            var rose = f.Severity > _worst.Severity;
            if (rose || (f.Severity == _worst.Severity && f.Magnitude > _worst.Magnitude)) _worst = f;
            return rose;
        }

        public void Save(StateWriter w)
        {
            // Last and the worst finding are most often the first one (or each other): written once, referred to by a mark.
            w.WriteFinding(First);
            WriteRef(w, Last, First, null);
            WriteRef(w, _worst, First, Last);
            w.Write(Period);
            w.Write(Day);
            w.Write(Count);
            w.Write(Dirty);
            w.Write(_revision);
            w.Write(_evidence, static (w, id) => w.Write(id));
            w.Write(DetectedAt);
            w.Write(MaxSurge);
        }

        public static OpenAlert Read(StateReader r)
        {
            var first = r.ReadFinding();
            var last = ReadRef(r, first, null);
            var worst = ReadRef(r, first, last);
            return new OpenAlert(first, last, worst, r.ReadString(), r.ReadString(), r.ReadInt(), r.ReadBool(), r.ReadInt(), r.ReadList(static r => r.ReadString()), r.ReadTime(), r.ReadDouble());
        }

        private static void WriteRef(StateWriter w, Finding f, Finding first, Finding? last)
        {
            var mark = ReferenceEquals(f, first) ? 0 : last is not null && ReferenceEquals(f, last) ? 1 : 2;
            w.Write(mark);
            if (mark == 2) w.WriteFinding(f);
        }

        private static Finding ReadRef(StateReader r, Finding first, Finding? last) => r.ReadInt() switch
        {
            0 => first,
            1 when last is not null => last,
            2 => r.ReadFinding(),
            var m => throw new StateFormatException($"finding mark {m} is not valid here"),
        };

        public Alert Publish()
        {
            Dirty = false;
            _revision++;
            var magnitude = Math.Max(_worst.Magnitude, Scoring.OfCount(Count));
            var latest = Last.Severity == _worst.Severity ? Last : _worst;
            var text = Count == 1 ? latest.Text : Phrase.Of("alert.folded", latest.Text, Count, Period, EventJson.FormatTime(First.EventTime));
            return new Alert
            {
                AlertId = StableId.Of("al", First.Rule, EntityTypes.Of(First.EntityKind), First.EntityId, Period),
                Revision = _revision,
                Rule = First.Rule,
                EntityType = EntityTypes.Of(First.EntityKind),
                EntityId = First.EntityId,
                UserId = First.UserId,
                BranchId = First.BranchId,
                Severity = SeverityNames.Of(_worst.Severity),
                Score = Scoring.Score(_worst.Severity, magnitude),
                Day = Period.Length == 7 ? Day : Period,
                EventTime = First.EventTime,
                LastEventTime = Last.EventTime,
                Count = Count,
                Explanation = text.En,
                Explanations = text.Both,
                Evidence = [.. _evidence],
                DetectedAt = DetectedAt,
            };
        }
    }
}
