using Monitor.Contracts.State;

namespace Monitor.Detectors.Peers;

/// <summary>
/// The usual course of one day of the bank or of one branch: the reads by each hour of the day (cumulative), the median
/// of its last <see cref="Kept"/> days of the same kind (working days and other days apart), so "by 11:00 this branch
/// has usually read 60" can be said at 11:00. Peak days enter divided by the day's factor, so a run of month-end days
/// does not make the busy day the usual one.
/// </summary>
public sealed class UsualCurve : IDurableState
{
    public const int Kept = 8;
    public const int MinDays = 3;
    private const int Hours = 24;
    private readonly List<double[]> _working = [];
    private readonly List<double[]> _other = [];
    private double[] _usualWorking = []; // the medians, kept up to date with the days (restored the same way)
    private double[] _usualOther = [];

    /// <summary>Adds a day: its reads per local hour (not cumulative), divided by <paramref name="divideBy"/>.</summary>
    public void Add(bool working, int[] perHour, double divideBy)
    {
        var cum = new double[Hours];
        var sum = 0.0;
        for (var h = 0; h < Hours; h++) cum[h] = sum += perHour[h] / divideBy;
        var ring = working ? _working : _other;
        ring.Add(cum);
        if (ring.Count > Kept) ring.RemoveAt(0);
        if (working) _usualWorking = Median(_working);
        else _usualOther = Median(_other);
    }

    /// <summary>The usual reads by <paramref name="hour"/> (hours since local midnight, fractions allowed; 24 is the whole day); NaN without <see cref="MinDays"/> days of that kind.</summary>
    public double At(bool working, double hour)
    {
        var curve = working ? _usualWorking : _usualOther;
        if (curve.Length == 0) return double.NaN;
        hour = Math.Clamp(hour, 0, Hours);
        var h = Math.Min(Hours - 1, (int)hour);
        var before = h == 0 ? 0 : curve[h - 1];
        return before + (hour - h) * (curve[h] - before);
    }

    /// <summary>Per hour boundary, the median over the kept days; empty with fewer than <see cref="MinDays"/>.</summary>
    private static double[] Median(List<double[]> days)
    {
        if (days.Count < MinDays) return [];
        var curve = new double[Hours];
        var column = new double[days.Count];
        for (var h = 0; h < Hours; h++)
        {
            for (var i = 0; i < days.Count; i++) column[i] = days[i][h];
            Array.Sort(column);
            var n = column.Length;
            curve[h] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return curve;
    }

    public void Save(StateWriter w)
    {
        foreach (var ring in (List<double[]>[])[_working, _other])
            w.Write(ring, static (w, day) => w.Write(day, static (w, v) => w.Write(v)));
    }

    public void Restore(StateReader r)
    {
        foreach (var ring in (List<double[]>[])[_working, _other])
        {
            ring.Clear();
            foreach (var day in r.ReadList(static r => r.ReadList(static r => r.ReadDouble())))
            {
                if (day.Count != Hours) throw new StateFormatException($"a usual day of {day.Count} hours");
                ring.Add([.. day]);
            }
            if (ring.Count > Kept) throw new StateFormatException($"{ring.Count} usual days where {Kept} are kept");
        }
        _usualWorking = Median(_working);
        _usualOther = Median(_other);
    }
}
