using NodaTime;

namespace Monitor.Detectors.Rules;

/// <summary>
/// The relative VOLUME_SPIKE: a day far above the entity's usual day of the same kind. A day's kind is its
/// weekday when it is a working day, or "non-working" (weekends and holidays alike); the usual level is the
/// median of the last <see cref="HistoryPerKind"/> active days of that kind, falling back to all working days
/// while a weekday has too few. Each finished day is pushed into the history, so memory is fixed.
/// </summary>
public sealed class RelativeVolume
{
    public const int HistoryPerKind = 6;
    private const int NonWorking = 7;
    private readonly int[][] _history = Enumerable.Range(0, 8).Select(_ => new int[HistoryPerKind]).ToArray();
    private readonly int[] _filled = new int[8];
    private readonly int[] _next = new int[8];
    private LocalDate _day;
    private int _kind = -1;
    private int _count;
    private int _threshold;
    private int _usual;

    /// <summary>Counts one query on the entity's day; returns the finding text when this query is over the relative threshold.</summary>
    public (int Count, int Usual, int Threshold)? Count(LocalDate day, bool workingDay, double? factor, int minCount, int minHistory)
    {
        if (day != _day)
        {
            if (day < _day) return null; // a late event of a finished day: the history has moved on
            Finish();
            _day = day;
            _kind = workingDay ? (int)day.DayOfWeek % 7 : NonWorking;
            _count = 0;
            _usual = Usual(_kind, minHistory);
            _threshold = factor is { } f && _usual >= 0 ? Math.Max(minCount, (int)Math.Ceiling(f * Math.Max(_usual, 1))) : int.MaxValue;
        }
        _count++;
        return _count > _threshold ? (_count, _usual, _threshold) : null;
    }

    private void Finish()
    {
        if (_kind < 0 || _count == 0) return;
        _history[_kind][_next[_kind]] = _count;
        _next[_kind] = (_next[_kind] + 1) % HistoryPerKind;
        _filled[_kind] = Math.Min(HistoryPerKind, _filled[_kind] + 1);
    }

    private int Usual(int kind, int minHistory)
    {
        if (_filled[kind] >= minHistory) return Median(_history[kind].Take(_filled[kind]));
        if (kind == NonWorking) return -1;
        var working = Enumerable.Range(0, 7).SelectMany(k => _history[k].Take(_filled[k])).ToList();
        return working.Count >= minHistory ? Median(working) : -1;
    }

    private static int Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? -1 : sorted[sorted.Length / 2];
    }
}
