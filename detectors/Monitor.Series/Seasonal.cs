using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// One cycle (the day, the week) in hourly slots. A slot keeps the mean of each of its past hours (one value
/// per cycle, the last six cycles), so a point is compared with the same hour of earlier days, not with the
/// minutes just before it. The slots live in one flat array (a week of them is 8 KB), since every user and
/// branch of the monitor has one.
/// </summary>
internal sealed class Seasonal(int slots, TimeSpan slotLength)
{
    private const int Depth = 6;
    private readonly double[] _values = new double[slots * Depth];
    private readonly byte[] _count = new byte[slots];
    private readonly byte[] _next = new byte[slots];
    private long _hour = long.MinValue;
    private double _sum;
    private int _count0;

    public void Add(DateTime time, double value)
    {
        var hour = time.Ticks / slotLength.Ticks;
        if (hour != _hour)
        {
            Close();
            _hour = hour;
        }
        _sum += value;
        _count0++;
    }

    public double? Usual(DateTime time)
    {
        var slot = Slot(time);
        if (_count[slot] < 3) return null;
        Span<double> v = stackalloc double[Depth];
        return Median(Sorted(slot, v));
    }

    public double? Judge(DateTime time, double value, double spread)
    {
        var slot = Slot(time);
        if (_count[slot] < 3) return null;
        Span<double> v = stackalloc double[Depth];
        var sorted = Sorted(slot, v);
        var median = Median(sorted);
        Span<double> d = stackalloc double[sorted.Length];
        for (var i = 0; i < sorted.Length; i++) d[i] = Math.Abs(sorted[i] - median);
        d.Sort();
        var mad = 1.4826 * d[sorted.Length / 2];
        return Math.Abs(value - median) / Math.Max(mad, spread);
    }

    private int Slot(DateTime time) => (int)(time.Ticks / slotLength.Ticks % slots);

    private Span<double> Sorted(int slot, Span<double> into)
    {
        var n = _count[slot];
        _values.AsSpan(slot * Depth, n).CopyTo(into);
        var sorted = into[..n];
        sorted.Sort();
        return sorted;
    }

    private static double Median(Span<double> sorted) => SortedWindow.QuantileOf(sorted, 0.5);

    /// <summary>Per slot its count, next position and the values it holds (slots fill from position 0); then the open hour.</summary>
    public void Save(StateWriter w)
    {
        w.Write(slots);
        for (var slot = 0; slot < slots; slot++)
        {
            w.Write((int)_count[slot]);
            if (_count[slot] == 0) continue;
            w.Write((int)_next[slot]);
            for (var i = 0; i < _count[slot]; i++) w.Write(_values[slot * Depth + i]);
        }
        w.Write(_hour);
        w.Write(_sum);
        w.Write(_count0);
    }

    public void Restore(StateReader r)
    {
        var saved = r.ReadInt();
        if (saved != slots) throw new StateFormatException($"a cycle of {saved} slots cannot be restored into one of {slots}");
        Array.Clear(_values);
        Array.Clear(_count);
        Array.Clear(_next);
        for (var slot = 0; slot < slots; slot++)
        {
            var count = r.ReadInt();
            if (count is < 0 or > Depth) throw new StateFormatException($"a slot of {count} values cannot be right");
            _count[slot] = (byte)count;
            if (count == 0) continue;
            var next = r.ReadInt();
            if (next is < 0 or >= Depth) throw new StateFormatException($"a slot position of {next} cannot be right");
            _next[slot] = (byte)next;
            for (var i = 0; i < count; i++) _values[slot * Depth + i] = r.ReadDouble();
        }
        _hour = r.ReadLong();
        _sum = r.ReadDouble();
        _count0 = r.ReadInt();
    }

    private void Close()
    {
        if (_count0 > 0)
        {
            var slot = (int)(_hour % slots);
            _values[slot * Depth + _next[slot]] = _sum / _count0;
            _next[slot] = (byte)((_next[slot] + 1) % Depth);
            if (_count[slot] < Depth) _count[slot]++;
        }
        _sum = 0;
        _count0 = 0;
    }
}
