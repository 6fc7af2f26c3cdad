using System.Runtime.CompilerServices;
using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// Turns a stream of surprises into an anomaly score in [0, 1], in the manner of Numenta's anomaly likelihood: not
/// "how far is this point from usual" but "how unusual is this surprise for this series", so a noisy series does
/// not alarm all day and a quiet one alarms at its first real break. Two tests, the higher wins:
/// <list type="bullet">
/// <item>the point: the latest surprise (or the mean of the last few, when higher) against the mean and spread of
/// the surprises before it, its tail probability raised by each earlier surprise at least as large, so what the
/// series does every day or so stops alarming while a record still does;</item>
/// <item>the run: the mean of the last <see cref="SeriesDetectorOptions.RunWindow"/> surprises against the earlier
/// such means, which are far less spread than single surprises, so a lasting change of spread or a slow drift
/// that no single point gives away is seen.</item>
/// </list>
/// The normal tail probability is put on a log scale that keeps resolving above 0.9 instead of saturating at 1.
/// Last, one event raises one alarm: a score no higher than one of the last
/// <see cref="SeriesDetectorOptions.QuietWindow"/> points is the same event going on, and is damped.
/// </summary>
internal sealed class SurpriseLikelihood(SeriesDetectorOptions o) : IDurableState
{
    private readonly MomentWindow _singles = new(o.HistoryWindow);
    private readonly MomentWindow _short = new(o.ShortWindow);
    private readonly MomentWindow _run = new(o.RunWindow);
    private readonly MomentWindow _runs = new(o.HistoryWindow);
    private readonly double[] _recent = new double[Math.Max(o.QuietWindow, 1)];
    private int _recentNext;
    private readonly SortedWindow _raw = new(o.HistoryWindow);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Next(double raw, bool judge)
    {
        var surprise = Math.Min(raw, o.MaxSurprise);
        _short.Add(surprise);
        _run.Add(surprise);
        var score = 0.0;
        if (judge && _singles.Count >= 10)
        {
            var recent = Math.Max(_short.Mean, surprise); // a lone break counts at once: early detection scores best
            // A surprise as large as this one came before (uncapped, so a record spike is still new): the series does
            // this now and then. Each earlier such point makes it a little less rare.
            var seen = _raw.CountAtLeast(raw);
            score = FromLogP(LogTail((recent - _singles.Mean) / Math.Max(_singles.Sd, o.MinSurpriseSpread)) + o.RecurrenceWeight * Math.Log(1 + seen));
        }
        if (_run.Full)
        {
            if (judge && _runs.Count >= 10)
                score = Math.Max(score, Score((_run.Mean - _runs.Mean) / Math.Max(_runs.Sd, o.MinSurpriseSpread * o.RunSpread)));
            _runs.Add(_run.Mean);
        }
        _raw.Add(raw);
        _singles.Add(surprise);
        var before = 0.0;
        foreach (var r in _recent) before = Math.Max(before, r);
        _recent[_recentNext] = score;
        _recentNext = (_recentNext + 1) % _recent.Length;
        return score > before ? score : score * o.QuietFactor;
    }

    /// <summary>The four surprise windows and the sorted uncapped surprises, then the recent scores and where the next one goes.</summary>
    public void Save(StateWriter w)
    {
        w.Section("SurpriseLikelihood");
        _singles.Save(w);
        _short.Save(w);
        _run.Save(w);
        _runs.Save(w);
        _raw.Save(w);
        w.Write(_recent.Length);
        w.Write(_recentNext);
        foreach (var r in _recent) w.Write(r);
    }

    public void Restore(StateReader r)
    {
        r.Section("SurpriseLikelihood");
        _singles.Restore(r);
        _short.Restore(r);
        _run.Restore(r);
        _runs.Restore(r);
        _raw.Restore(r);
        var length = r.ReadInt();
        var next = r.ReadInt();
        if (length != _recent.Length || next < 0 || next >= length) throw new StateFormatException($"recent scores of {length} (next {next}) cannot be restored into {_recent.Length}");
        for (var i = 0; i < length; i++) _recent[i] = r.ReadDouble();
        _recentNext = next;
    }

    /// <summary>
    /// The tail of <paramref name="z"/> on a log scale: -log10 p / 10 up to 0.9 (p = 10⁻⁹), then compressed towards 1
    /// without reaching it, so that "very rare" still ranks above "rare" instead of both saturating at 1.
    /// </summary>
    internal static double Score(double z) => FromLogP(LogTail(z));

    internal static double FromLogP(double logP)
    {
        var x = -logP / Math.Log(10) / 10;
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
