using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Judges an event's time against the clock and the rest of the stream: implausibly old, ahead of the clock,
/// far ahead of everything else without support, or too late for the allowed lateness. A refused event goes to
/// the dead letters with the reason and never moves event time.
/// <para>
/// Event time is robust (<see cref="SourceTime"/>): each source's (Kafka partition's, replay file's) time is the
/// newest that several users have reached, so one early-dated event, even accepted, cannot make the good events
/// that follow look late. An event more than <see cref="DetectionSettings.MaxLeadHours"/> ahead of the stream
/// (the newest source time; before any, the batch's median time or the clock, whichever is earlier) is accepted
/// only with support: the clock says it is now (a live stream after a quiet night), or at least
/// <see cref="Supporters"/> other users have events near it in the same batch or among the recently refused ones
/// (a backlog crossing a weekend). A lone line days ahead has none and is refused as <c>implausible time</c>.
/// </para>
/// </summary>
public sealed class EventTimeGuard(DetectionSettings settings) : IDurableState
{
    /// <summary>How many other users must stand near an event far ahead of the stream for it to count as the stream moving on.</summary>
    public const int Supporters = 2;

    private readonly Dictionary<int, SourceTime> _sources = [];
    private readonly Queue<(DateTimeOffset Time, string User)> _unsupported = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private DateTimeOffset? _stream;

    /// <summary>Each source's time, the recently refused events far ahead (in order: the oldest gives way) and the stream's time; the settings are the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("EventTimeGuard");
        w.Write(_sources, (w, k) => w.Write(k), (w, s) => s.Save(w));
        w.Write(_unsupported, (w, u) =>
        {
            w.Write(u.Time);
            w.Write(u.User);
        });
        w.Write(_stream);
    }

    public void Restore(StateReader r)
    {
        r.Section("EventTimeGuard");
        _sources.Clear();
        r.ReadInto(_sources, r => r.ReadInt(), r =>
        {
            var s = new SourceTime();
            s.Restore(r);
            return s;
        });
        _unsupported.Clear();
        foreach (var u in r.ReadList(r => (r.ReadTime(), r.ReadString()))) _unsupported.Enqueue(u);
        _seen.Clear();
        _stream = r.ReadNullableTime();
    }

    /// <summary>A source's robust event time (<see cref="SourceTime.Time"/>), null before its first accepted event.</summary>
    public DateTimeOffset? TimeOf(int source) => _sources.TryGetValue(source, out var s) ? s.Time : null;

    /// <summary>Null when the event is acceptable (and event time advanced), else the reason; <paramref name="batch"/> is the batch the event came in.</summary>
    public string? Check(QueryLogEvent e, int source, DateTimeOffset now, BatchTimes batch)
    {
        var t = e.OccurredAt;
        if (t < settings.EarliestPlausible)
            return $"implausible time: occurredAt {EventJson.FormatTime(t)} is before {EventJson.FormatTime(settings.EarliestPlausible)}";
        if (t > now.AddMinutes(settings.MaxAheadOfClockMinutes))
            return $"implausible time: occurredAt {EventJson.FormatTime(t)} is more than {settings.MaxAheadOfClockMinutes} min ahead of the clock";
        var lead = TimeSpan.FromHours(settings.MaxLeadHours);
        // Only an event beyond the stream by the lead (or one of the first of a run) needs the batch's view.
        if ((_stream is null || t > _stream + lead) && (_stream ?? Min(batch.Median, now)) is { } r)
        {
            if (t > r.AddDays(settings.MaxJumpDays))
                return $"implausible time: occurredAt {EventJson.FormatTime(t)} is more than {settings.MaxJumpDays} days after the rest of the stream ({EventJson.FormatTime(r)})";
            if (t > r + lead && !Supported(e, now, batch, lead))
            {
                if (_unsupported.Count == 64) _unsupported.Dequeue();
                _unsupported.Enqueue((t, e.UserId));
                return $"implausible time: occurredAt {EventJson.FormatTime(t)} is {Hours(t - r)} h ahead of the rest of the stream ({EventJson.FormatTime(r)}) and no other user's events are near it";
            }
        }
        if (!_sources.TryGetValue(source, out var s)) _sources[source] = s = new SourceTime();
        else if (s.Time != DateTimeOffset.MinValue && t < s.Time - settings.AllowedLateness)
            return $"late: occurredAt {EventJson.FormatTime(t)} is more than {settings.AllowedLatenessMinutes} min behind the stream ({EventJson.FormatTime(s.Time)}); allowed lateness exceeded";
        s.Accept(t, e.UserId);
        if (s.Time != DateTimeOffset.MinValue && (_stream is null || s.Time > _stream)) _stream = s.Time;
        return null;
    }

    /// <summary>The clock, or other users near the event (in its batch, or recently refused for the same lead), say the stream really is there.</summary>
    private bool Supported(QueryLogEvent e, DateTimeOffset now, BatchTimes batch, TimeSpan lead)
    {
        var t = e.OccurredAt;
        if (t >= now - lead) return true; // and no further ahead of the clock than maxAheadOfClockMinutes, checked before
        _seen.Clear();
        var supported = batch.OthersNear(t, lead, e.UserId, Supporters, _seen) >= Supporters;
        if (!supported)
        {
            foreach (var (time, user) in _unsupported)
                if ((time - t).Duration() <= lead && !string.Equals(user, e.UserId, StringComparison.Ordinal)) _seen.Add(user);
            supported = _seen.Count >= Supporters;
        }
        _seen.Clear(); // scratch, not state: nothing of it is left between events
        return supported;
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is null || a > b ? b : a;

    private static string Hours(TimeSpan span) => span.TotalHours.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
