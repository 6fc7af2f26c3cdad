using System.Runtime.CompilerServices;
using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// The last <c>capacity</c> values of a stream, kept both in arrival order and sorted, so the median and the
/// median absolute deviation cost a binary search and a memmove per value instead of a sort.
/// </summary>
public sealed class SortedWindow(int capacity) : IDurableState
{
    private readonly double[] _ring = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _start;

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (Count == capacity)
        {
            var old = _ring[_start];
            var at = Array.BinarySearch(_sorted, 0, Count, old);
            Array.Copy(_sorted, at + 1, _sorted, at, Count - at - 1);
            _ring[_start] = value;
            _start = (_start + 1) % capacity;
            Count--;
        }
        else _ring[(_start + Count) % capacity] = value;
        var pos = Array.BinarySearch(_sorted, 0, Count, value);
        if (pos < 0) pos = ~pos;
        Array.Copy(_sorted, pos, _sorted, pos + 1, Count - pos);
        _sorted[pos] = value;
        Count++;
    }

    /// <summary>Keeps only the newest <paramref name="keep"/> values (a new regime has begun).</summary>
    public void KeepNewest(int keep)
    {
        if (keep >= Count) return;
        var newest = new double[keep];
        for (var i = 0; i < keep; i++) newest[i] = _ring[(_start + Count - keep + i) % capacity];
        Count = 0;
        _start = 0;
        Array.Clear(_ring); // no stale values behind the live ones: a restored window equals the original slot for slot
        Array.Clear(_sorted);
        foreach (var v in newest) Add(v);
    }

    /// <summary>The live values as laid out (ring from its start, then the sorted run): a restore continues bit for bit.</summary>
    public void Save(StateWriter w)
    {
        w.Section("SortedWindow");
        w.Write(capacity);
        w.Write(_start);
        w.Write(Count);
        for (var i = 0; i < Count; i++) w.Write(_ring[(_start + i) % capacity]);
        for (var i = 0; i < Count; i++) w.Write(_sorted[i]);
    }

    public void Restore(StateReader r)
    {
        r.Section("SortedWindow");
        var saved = r.ReadInt();
        if (saved != capacity) throw new StateFormatException($"a window of {saved} values cannot be restored into one of {capacity}");
        var start = r.ReadInt();
        var count = r.ReadInt();
        if (start < 0 || start >= capacity || count < 0 || count > capacity) throw new StateFormatException($"window start {start} and count {count} do not fit {capacity}");
        Array.Clear(_ring);
        Array.Clear(_sorted);
        _start = start;
        Count = count;
        for (var i = 0; i < count; i++) _ring[(start + i) % capacity] = r.ReadDouble();
        for (var i = 0; i < count; i++) _sorted[i] = r.ReadDouble();
    }

    public double Median => Quantile(0.5);

    /// <summary>The q-quantile by linear interpolation between order statistics.</summary>
    public double Quantile(double q) => QuantileOf(_sorted.AsSpan(0, Count), q);

    /// <summary>The q-quantile of already sorted values, by linear interpolation between order statistics.</summary>
    internal static double QuantileOf(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>How many values are at or above <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int CountAtLeast(double x)
    {
        var at = Array.BinarySearch(_sorted, 0, Count, x);
        if (at < 0) at = ~at;
        else while (at > 0 && _sorted[at - 1] == x) at--;
        return Count - at;
    }

    /// <summary>Median absolute deviation from the median, scaled to a standard deviation for normal data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Mad()
    {
        if (Count == 0) return double.NaN;
        var m = Median;
        // The deviations from the median are sorted two-sided around it: merge the two runs to find their median.
        var mid = Array.BinarySearch(_sorted, 0, Count, m);
        if (mid < 0) mid = ~mid;
        int left = mid - 1, right = mid, taken = 0, target = Count / 2;
        double last = 0;
        while (taken <= target)
        {
            var dl = left >= 0 ? m - _sorted[left] : double.PositiveInfinity;
            var dr = right < Count ? _sorted[right] - m : double.PositiveInfinity;
            if (dl <= dr)
            {
                last = dl;
                left--;
            }
            else
            {
                last = dr;
                right++;
            }
            taken++;
        }
        return 1.4826 * last;
    }
}
