using System.Runtime.CompilerServices;
using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// The last <c>capacity</c> points with their times, so the detector can look up what the series did exactly one
/// cycle ago (the same minute of yesterday), at any sampling: the hourly slots of the seasonal view average an hour
/// away, and a square wave's jump at 09:00 is only ordinary when yesterday also jumped at 09:00.
/// </summary>
internal sealed class LagBuffer(int capacity) : IDurableState
{
    private readonly long[] _ticks = new long[Math.Max(capacity, 2)];
    private readonly double[] _values = new double[Math.Max(capacity, 2)];
    private int _start, _count;

    public void Add(DateTime time, double value)
    {
        var at = (_start + _count) % _ticks.Length;
        if (_count == _ticks.Length) _start = (_start + 1) % _ticks.Length;
        else _count++;
        _ticks[at] = time.Ticks;
        _values[at] = value;
    }

    /// <summary>
    /// The change from the point before to the point nearest <paramref name="time"/>, when a point lies within
    /// <paramref name="tolerance"/> of it; null when the buffer does not reach that far back.
    /// </summary>
    public double? StepAt(DateTime time, TimeSpan tolerance) =>
        Nearest(time, tolerance) is { } i && i > 0 ? Value(i) - Value(i - 1) : null;

    /// <summary>The value of the point nearest <paramref name="time"/>, when one lies within <paramref name="tolerance"/> of it.</summary>
    public double? ValueAt(DateTime time, TimeSpan tolerance) => Nearest(time, tolerance) is { } i ? Value(i) : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? Nearest(DateTime time, TimeSpan tolerance)
    {
        if (_count == 0) return null;
        var target = time.Ticks;
        if (Ticks(0) > target + tolerance.Ticks) return null;
        int lo = 0, hi = _count - 1; // the last point at or before the target
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Ticks(mid) <= target) lo = mid;
            else hi = mid - 1;
        }
        var near = lo + 1 < _count && Ticks(lo + 1) - target < target - Ticks(lo) ? lo + 1 : lo;
        return Math.Abs(Ticks(near) - target) <= tolerance.Ticks ? near : null;
    }

    private long Ticks(int i) => _ticks[(_start + i) % _ticks.Length];

    private double Value(int i) => _values[(_start + i) % _values.Length];

    /// <summary>The ring's start and the live points oldest first, back in the same slots: a restore continues bit for bit.</summary>
    public void Save(StateWriter w)
    {
        w.Section("LagBuffer");
        w.Write(_ticks.Length);
        w.Write(_start);
        w.Write(_count);
        for (var i = 0; i < _count; i++)
        {
            w.Write(Ticks(i));
            w.Write(Value(i));
        }
    }

    public void Restore(StateReader r)
    {
        r.Section("LagBuffer");
        var length = r.ReadInt();
        if (length != _ticks.Length) throw new StateFormatException($"a lag buffer of {length} points cannot be restored into one of {_ticks.Length}");
        var start = r.ReadInt();
        var count = r.ReadInt();
        if (start < 0 || start >= length || count < 0 || count > length) throw new StateFormatException($"lag buffer start {start} and count {count} do not fit {length}");
        Array.Clear(_ticks);
        Array.Clear(_values);
        _start = start;
        _count = count;
        for (var i = 0; i < count; i++)
        {
            _ticks[(start + i) % length] = r.ReadLong();
            _values[(start + i) % length] = r.ReadDouble();
        }
    }
}
