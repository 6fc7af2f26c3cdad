using Monitor.Contracts.State;
using Monitor.Series;

namespace Monitor.Detectors.Behaviour;

/// <summary>
/// An entity's reads per local hour, fed hour by hour (empty hours as zeros) to the streaming
/// <see cref="SeriesDetector"/>, which knows the hour of the day and of the week: the hour view of
/// BEHAVIOUR_OUTLIER, for spikes and level shifts inside a day that a day window averages away.
/// <para>
/// An hour is scored once event time has passed its end by the allowed lateness, so late events and Kafka
/// partitions read up to an hour apart still land in their hour and a replay scores the same counts. Events
/// later than that are left out of the series (the rules still see them).
/// </para>
/// </summary>
public sealed class HourlyVolume(TimeSpan lateness, SeriesDetectorOptions? options = null) : IDurableState
{
    private const int MaxZeroHours = 24 * 7;
    private readonly SeriesDetector _detector = new(options ?? Options);
    private readonly Dictionary<long, int> _counts = [];
    private long _scoredThrough = long.MinValue;

    /// <summary>Compact settings: a week of hours in the level and surprise windows, three days and a few hours in the lag buffer.</summary>
    public static readonly SeriesDetectorOptions Options = new() { LevelWindow = 96, HistoryWindow = 168, WarmupPoints = 72, LagWindow = 80 };

    /// <summary>Hours scored so far (empty ones included).</summary>
    public int HoursSeen { get; private set; }

    /// <summary>Counts one read at local time <paramref name="local"/>; false when its hour is already scored.</summary>
    public bool Count(DateTime local)
    {
        var hour = local.Ticks / TimeSpan.TicksPerHour;
        if (hour <= _scoredThrough) return false;
        _counts[hour] = _counts.GetValueOrDefault(hour) + 1;
        return true;
    }

    /// <summary>
    /// The reads so far in the not yet scored hour holding local time <paramref name="local"/>, with what the detector's
    /// seasonal views expect of that hour (NaN while they learn): a count only grows, so an hour already far beyond its
    /// expectation need not wait for its end (issue 18).
    /// </summary>
    public (DateTime Start, int Count, double Expected) Running(DateTime local)
    {
        var hour = local.Ticks / TimeSpan.TicksPerHour;
        var start = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Unspecified);
        return (start, hour <= _scoredThrough ? 0 : _counts.GetValueOrDefault(hour), _detector.SeasonalExpected(start) ?? double.NaN);
    }

    /// <summary>Scores every hour that local event time <paramref name="now"/> has left behind by the lateness, oldest first.</summary>
    public void Advance(DateTime now, List<HourScore> scored)
    {
        var through = (now - lateness).Ticks / TimeSpan.TicksPerHour - 1; // the last hour whose end + lateness has passed
        if (through <= _scoredThrough) return;
        if (_scoredThrough == long.MinValue)
        {
            if (_counts.Count == 0) return;
            _scoredThrough = _counts.Keys.Min() - 1;
        }
        if (through - _scoredThrough > MaxZeroHours)
        {
            // A long silence: resume a week before now rather than feeding months of zeros; counts left behind are not scored.
            _scoredThrough = through - MaxZeroHours;
            foreach (var h in _counts.Keys.Where(h => h <= _scoredThrough).ToList()) _counts.Remove(h);
        }
        for (var hour = _scoredThrough + 1; hour <= through; hour++)
        {
            _counts.Remove(hour, out var count);
            var start = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Unspecified);
            var expected = _detector.SeasonalExpected(start) ?? double.NaN;
            var score = _detector.Score(start, count);
            scored.Add(new HourScore(start, count, expected, score));
            HoursSeen++;
        }
        _scoredThrough = through;
    }

    /// <summary>The series so far, the counts of hours not yet scored and how far scoring has come; the lateness is the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("HourlyVolume");
        _detector.Save(w);
        w.Write(_counts, (w, k) => w.Write(k), (w, v) => w.Write(v));
        w.Write(_scoredThrough);
        w.Write(HoursSeen);
    }

    public void Restore(StateReader r)
    {
        r.Section("HourlyVolume");
        _detector.Restore(r);
        _counts.Clear();
        r.ReadInto(_counts, r => r.ReadLong(), r => r.ReadInt());
        _scoredThrough = r.ReadLong();
        HoursSeen = r.ReadInt();
    }
}

/// <summary>
/// One scored hour: its local start, the reads in it, what the detector's seasonal views expected (NaN while they learn) and the
/// anomaly score in [0, 1].
/// </summary>
public readonly record struct HourScore(DateTime Start, int Count, double Expected, double Score);
