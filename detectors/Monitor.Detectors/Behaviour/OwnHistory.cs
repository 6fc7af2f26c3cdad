using Monitor.Contracts.State;

namespace Monitor.Detectors.Behaviour;

/// <summary>
/// An entity's own past day windows, working days and other days apart (a Saturday is compared with
/// Saturdays and holidays, not with Tuesdays), and the drift each feature has built up. The usual leaves out
/// the newest <c>lag</c> days, so a change that lasts several days is compared with what came before it.
/// </summary>
public sealed class OwnHistory(int days, int lag) : IDurableState
{
    private readonly Ring _working = new(days + lag);
    private readonly Ring _other = new(days + lag);

    /// <summary>Per feature, the cumulative excess over the usual (a one-sided CUSUM); the drift view reads and resets it.</summary>
    public double[] Drift { get; } = new double[BehaviourFeatures.Count];

    /// <summary>Days of <paramref name="working"/> kind that the usual may use (the newest <c>lag</c> left out).</summary>
    public int UsableDays(bool working) => Math.Max(0, Of(working).Count - lag);

    public void Add(bool working, float[] window) => Of(working).Add(window);

    /// <summary>
    /// Per feature, the usual and the spread of the usable days (the median absolute deviation ×1.4826, or the
    /// upper tail's width when that is wider). The usual of a
    /// count is its median; of a share, the mean of the middle 80% of days, because the median of a small
    /// share is 0 for a user who reads one enterprise report every other day, which would make its next one news.
    /// </summary>
    public void Usual(bool working, double[] median, double[] spread)
    {
        var ring = Of(working);
        var n = UsableDays(working);
        var column = new double[n];
        for (var f = 0; f < BehaviourFeatures.Count; f++)
        {
            for (var i = 0; i < n; i++) column[i] = ring.Oldest(i)[f];
            Array.Sort(column);
            var m = Median(column);
            median[f] = BehaviourFeatures.IsShare(f) ? TrimmedMean(column) : m;
            // Days above the usual are what is judged, so a long upper tail (a user whose busy days are much busier
            // than its quiet ones are quiet) widens the spread: the 90th percentile's distance counts as 1.28 deviations.
            var upper = n == 0 ? 0 : (column[Math.Min(n - 1, (int)Math.Ceiling(0.9 * n) - 1)] - median[f]) / 1.2816;
            for (var i = 0; i < n; i++) column[i] = Math.Abs(column[i] - m);
            Array.Sort(column);
            spread[f] = Math.Max(1.4826 * Median(column), upper);
        }
    }

    /// <summary>Both rings of past windows and the drift sums; the ring sizes are the settings'.</summary>
    public void Save(StateWriter w)
    {
        w.Section("OwnHistory");
        _working.Save(w);
        _other.Save(w);
        w.Write(Drift.Length);
        foreach (var d in Drift) w.Write(d);
    }

    public void Restore(StateReader r)
    {
        r.Section("OwnHistory");
        _working.Restore(r);
        _other.Restore(r);
        var n = r.ReadInt();
        if (n != Drift.Length) throw new StateFormatException($"{n} drift sums where the features are {Drift.Length}");
        for (var i = 0; i < n; i++) Drift[i] = r.ReadDouble();
    }

    private static double TrimmedMean(double[] sorted)
    {
        var cut = sorted.Length / 10;
        var sum = 0.0;
        for (var i = cut; i < sorted.Length - cut; i++) sum += sorted[i];
        return sorted.Length - 2 * cut == 0 ? 0 : sum / (sorted.Length - 2 * cut);
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private Ring Of(bool working) => working ? _working : _other;

    /// <summary>A fixed-size ring of windows, oldest first.</summary>
    private sealed class Ring(int capacity)
    {
        private readonly float[][] _items = new float[capacity][];
        private int _next;

        public int Count { get; private set; }

        public void Add(float[] item)
        {
            _items[_next] = item;
            _next = (_next + 1) % capacity;
            Count = Math.Min(Count + 1, capacity);
        }

        public float[] Oldest(int i) => _items[(_next - Count + i + capacity) % capacity];

        /// <summary>As laid out: the ring fills from slot 0, so slots 0 to Count - 1 hold every window.</summary>
        public void Save(StateWriter w)
        {
            w.Write(capacity);
            w.Write(_next);
            w.Write(Count);
            for (var i = 0; i < Count; i++)
            {
                var item = _items[i];
                w.Write(item.Length);
                foreach (var f in item) w.Write(BitConverter.SingleToInt32Bits(f)); // a float's own bits: exact, half a double
            }
        }

        public void Restore(StateReader r)
        {
            var saved = r.ReadInt();
            var next = r.ReadInt();
            var count = r.ReadInt();
            if (saved < 0 || count < 0 || count > saved || next < 0 || (saved > 0 && next >= saved)) throw new StateFormatException($"a history ring of {count} in {saved} slots at {next} cannot be right");
            var items = new float[count][];
            for (var i = 0; i < count; i++)
            {
                var n = r.ReadInt();
                if (n != BehaviourFeatures.Count) throw new StateFormatException($"a window of {n} features where there are {BehaviourFeatures.Count}");
                items[i] = new float[n];
                for (var f = 0; f < n; f++) items[i][f] = BitConverter.Int32BitsToSingle(r.ReadInt());
            }
            Array.Clear(_items);
            _next = 0;
            Count = 0;
            if (saved == capacity)
            {
                items.CopyTo(_items, 0);
                _next = next;
                Count = count;
                return;
            }
            // The history settings changed since the save: keep the newest windows that fit, oldest first.
            for (var i = 0; i < count; i++) Add(items[(next - count + i + saved) % saved]);
        }
    }
}
