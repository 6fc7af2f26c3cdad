using System.Runtime.CompilerServices;
using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// The last <c>capacity</c> values with their running sum and sum of squares, so the mean and the standard
/// deviation of a sliding window cost nothing per point: the likelihood keeps several such windows.
/// </summary>
internal sealed class MomentWindow(int capacity) : IDurableState
{
    private readonly double[] _ring = new double[Math.Max(capacity, 1)];
    private int _next;
    private double _sum, _squares;

    public int Count { get; private set; }

    public bool Full => Count == _ring.Length;

    public double Mean => Count == 0 ? 0 : _sum / Count;

    public double Sd => Count == 0 ? 0 : Math.Sqrt(Math.Max(_squares / Count - Mean * Mean, 0));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (Full)
        {
            var old = _ring[_next];
            _sum -= old;
            _squares -= old * old;
        }
        else Count++;
        _ring[_next] = value;
        _next = (_next + 1) % _ring.Length;
        _sum += value;
        _squares += value * value;
    }

    /// <summary>The ring fills from slot 0 and stays full once full, so the first <see cref="Count"/> slots are all there is; the sums are saved as they are so a restore continues bit for bit.</summary>
    public void Save(StateWriter w)
    {
        w.Write(_ring.Length);
        w.Write(Count);
        w.Write(_next);
        for (var i = 0; i < Count; i++) w.Write(_ring[i]);
        w.Write(_sum);
        w.Write(_squares);
    }

    public void Restore(StateReader r)
    {
        var length = r.ReadInt();
        if (length != _ring.Length) throw new StateFormatException($"a surprise window of {length} cannot be restored into one of {_ring.Length}");
        var count = r.ReadInt();
        var next = r.ReadInt();
        if (count < 0 || count > length || next < 0 || next >= length) throw new StateFormatException($"surprise window count {count} and next {next} do not fit {length}");
        Array.Clear(_ring);
        for (var i = 0; i < count; i++) _ring[i] = r.ReadDouble();
        Count = count;
        _next = next;
        _sum = r.ReadDouble();
        _squares = r.ReadDouble();
    }
}
