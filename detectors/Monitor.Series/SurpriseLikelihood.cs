using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// Turns a stream of surprises into an anomaly score in [0, 1]: the latest surprise, or the mean of the last few
/// when that is higher (a sustained change), against the
/// mean and spread of the surprises before them, as a normal tail probability, on a log scale so that scores
/// near 1 separate "rare" from "very rare" (the scheme of Numenta's anomaly likelihood).
/// </summary>
internal sealed class SurpriseLikelihood(SeriesDetectorOptions o) : IDurableState
{
    private readonly double[] _long = new double[o.HistoryWindow];
    private readonly double[] _short = new double[o.ShortWindow];
    private readonly double[] _recent = new double[Math.Max(o.QuietWindow, 1)];
    private int _recentNext;
    private int _longCount, _longNext, _shortCount, _shortNext;
    private double _sum, _sumSquares;
    private readonly double[] _run = new double[Math.Max(o.RunWindow, 1)];
    private readonly double[] _runMeans = new double[o.HistoryWindow];
    private int _runCount, _runNext, _meansCount, _meansNext;
    private double _runSum, _meansSum, _meansSquares;

    public double Next(double surprise, bool judge)
    {
        _short[_shortNext] = surprise;
        _shortNext = (_shortNext + 1) % _short.Length;
        _shortCount = Math.Min(_shortCount + 1, _short.Length);
        var score = 0.0;
        if (judge && _longCount >= 10)
        {
            var mean = _sum / _longCount;
            var sd = Math.Sqrt(Math.Max(_sumSquares / _longCount - mean * mean, 0));
            var recent = 0.0;
            for (var i = 0; i < _shortCount; i++) recent += _short[i];
            recent = Math.Max(recent / _shortCount, surprise); // a lone break counts at once: early detection scores best
            var z = (recent - mean) / Math.Max(sd, o.MinSurpriseSpread);
            score = Score(z);
        }
        // A sustained change: the mean of the last RunWindow surprises against the earlier such means.
        if (_runCount == _run.Length) _runSum -= _run[_runNext];
        else _runCount++;
        _run[_runNext] = surprise;
        _runNext = (_runNext + 1) % _run.Length;
        _runSum += surprise;
        var runMean = _runSum / _runCount;
        if (judge && _meansCount >= 10 && _runCount == _run.Length)
        {
            var m = _meansSum / _meansCount;
            var sd = Math.Sqrt(Math.Max(_meansSquares / _meansCount - m * m, 0));
            score = Math.Max(score, Score((runMean - m) / Math.Max(sd, o.MinSurpriseSpread * o.RunSpread)));
        }
        if (_runCount == _run.Length)
        {
            if (_meansCount == _runMeans.Length)
            {
                var old = _runMeans[_meansNext];
                _meansSum -= old;
                _meansSquares -= old * old;
            }
            else _meansCount++;
            _runMeans[_meansNext] = runMean;
            _meansNext = (_meansNext + 1) % _runMeans.Length;
            _meansSum += runMean;
            _meansSquares += runMean * runMean;
        }
        if (_longCount == _long.Length)
        {
            var old = _long[_longNext];
            _sum -= old;
            _sumSquares -= old * old;
        }
        else _longCount++;
        _long[_longNext] = surprise;
        _longNext = (_longNext + 1) % _long.Length;
        _sum += surprise;
        _sumSquares += surprise * surprise;
        // One event, one alarm: a score no higher than one in the last few points is the same event going on.
        var before = 0.0;
        foreach (var r in _recent) before = Math.Max(before, r);
        _recent[_recentNext] = score;
        _recentNext = (_recentNext + 1) % _recent.Length;
        return score > before ? score : score * o.QuietFactor;
    }

    /// <summary>Both rings fill from slot 0 and stay full once full, so the first <c>count</c> slots are all there is.</summary>
    public void Save(StateWriter w)
    {
        w.Section("SurpriseLikelihood");
        Ring(w, _long, _longCount, _longNext);
        Ring(w, _short, _shortCount, _shortNext);
        w.Write(_sum);
        w.Write(_sumSquares);
        Ring(w, _recent, _recent.Length, _recentNext);
    }

    public void Restore(StateReader r)
    {
        r.Section("SurpriseLikelihood");
        (_longCount, _longNext) = Ring(r, _long);
        (_shortCount, _shortNext) = Ring(r, _short);
        _sum = r.ReadDouble();
        _sumSquares = r.ReadDouble();
        (_, _recentNext) = Ring(r, _recent);
    }

    private static void Ring(StateWriter w, double[] ring, int count, int next)
    {
        w.Write(ring.Length);
        w.Write(count);
        w.Write(next);
        for (var i = 0; i < count; i++) w.Write(ring[i]);
    }

    private static (int Count, int Next) Ring(StateReader r, double[] ring)
    {
        var length = r.ReadInt();
        if (length != ring.Length) throw new StateFormatException($"a surprise window of {length} cannot be restored into one of {ring.Length}");
        var count = r.ReadInt();
        var next = r.ReadInt();
        if (count < 0 || count > length || next < 0 || next >= length) throw new StateFormatException($"surprise window count {count} and next {next} do not fit {length}");
        Array.Clear(ring);
        for (var i = 0; i < count; i++) ring[i] = r.ReadDouble();
        return (count, next);
    }

    /// <summary>
    /// The tail of <paramref name="z"/> on a log scale: -log10 p / 10 up to 0.9 (p = 10⁻⁹), then compressed towards 1
    /// without reaching it, so that "very rare" still ranks above "rare" instead of both saturating at 1.
    /// </summary>
    internal static double Score(double z)
    {
        var x = -LogTail(z) / Math.Log(10) / 10;
        if (x <= 0) return 0;
        return x <= Knee ? x : Knee + (1 - Knee) * (1 - Math.Exp(-(x - Knee) / Compression));
    }

    private const double Knee = 0.9;
    private const double Compression = 3;

    /// <summary>The natural log of the normal upper tail 0.5·erfc(z/√2), without underflow for large z.</summary>
    internal static double LogTail(double z)
    {
        var x = z / Math.Sqrt(2);
        if (x < 0) return Math.Log(0.5 * Erfc(x));
        var t = 1 / (1 + 0.5 * x);
        return Math.Log(0.5) + Math.Log(t) - x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    }

    /// <summary>Complementary error function (Chebyshev fit, relative error below 1.2e-7).</summary>
    internal static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
