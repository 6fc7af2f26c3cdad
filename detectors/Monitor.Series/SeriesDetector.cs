using System.Runtime.CompilerServices;
using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// A streaming anomaly detector for one univariate series (a user's or a branch's query volume, or any metric):
/// each point is scored from that point and the points before it only, in about a microsecond, with memory fixed
/// whatever the length. Microsoft.ML.TimeSeries is not available from the package registry here; this is the
/// small replacement the project needs, described in docs/models.md.
/// <para>
/// Robust views of "usual" judge a point: the level of the recent window (median and MAD), the step from the
/// previous point (sudden jumps in smooth series), and, when the series is sampled at least hourly, its cycle:
/// the same hour of earlier days and weeks for the level, the same minute of the day before for the step (a
/// square wave's jump at 09:00 is ordinary when it also jumped at 09:00 yesterday). A cycle view excuses a point
/// the plain view finds odd; when the cycle predicts the series far better than the plain view does, it judges
/// alone, so a missing daily peak is seen although its value is common at night. The point's surprise is the
/// level's or the step's, whichever is larger. <see cref="SurpriseLikelihood"/> turns surprises into the score:
/// how unusual they are for this series, point by point and over a run, and one alarm per event. A level that
/// stays shifted becomes the new usual after a short run, so one change raises one alarm, not hundreds.
/// </para>
/// </summary>
public sealed class SeriesDetector : IDurableState
{
    private readonly SeriesDetectorOptions _o;
    private readonly SortedWindow _level;
    private readonly SortedWindow _steps;
    private readonly SortedWindow _intervals = new(64);
    private readonly Seasonal _daily = new(24, TimeSpan.FromHours(1));
    private readonly Seasonal _weekly = new(168, TimeSpan.FromHours(1));
    private readonly SurpriseLikelihood _likelihood;
    private readonly LagBuffer _lag;
    private readonly SortedWindow _seasonalSteps;
    private readonly SortedWindow _residuals;
    private double? _previous;
    private DateTime? _previousTime;
    private DateTime _firstTime;
    private int _shiftedRun, _shiftedResiduals;
    private int _points;
    private double _levelError, _seasonError, _stepError, _seasonStepError;
    private const double ErrorRate = 0.005;

    public SeriesDetector(SeriesDetectorOptions? options = null)
    {
        _o = options ?? new SeriesDetectorOptions();
        _level = new SortedWindow(_o.LevelWindow);
        _steps = new SortedWindow(_o.LevelWindow);
        _likelihood = new SurpriseLikelihood(_o);
        _lag = new LagBuffer(_o.LagWindow);
        _seasonalSteps = new SortedWindow(_o.LevelWindow);
        _residuals = new SortedWindow(_o.LevelWindow);
    }

    /// <summary>
    /// What the seasonal views expect at <paramref name="time"/> before seeing the point: the same hour of the last
    /// weeks once three weeks are known, else of the last days once three days are; null before that or when the
    /// series is not sampled at least hourly.
    /// </summary>
    public double? SeasonalExpected(DateTime time)
    {
        if (_points == 0 || !Hourly(time)) return null;
        var span = time - _firstTime;
        if (span >= TimeSpan.FromDays(21) && _weekly.Usual(time) is { } w) return w;
        return span >= TimeSpan.FromDays(3) ? _daily.Usual(time) : null;
    }

    // The per-point path (here and in the windows) is compiled optimised from the first point, not after tiering:
    // a 20,000-row file is scored in well under a second from a cold start.
    /// <summary>Scores the next point; returns the anomaly score in [0, 1]. Points must come in time order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Score(DateTime time, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return 0;
        if (_points == 0) _firstTime = time;
        var seasonalStep = SeasonalStep(time, value);
        var lagged = LaggedResidual(time, value);
        var surprise = Surprise(time, value, seasonalStep, lagged, out var levelSurprise, out var residualSurprise);
        Learn(time, value, seasonalStep, lagged, levelSurprise, residualSurprise);
        _points++;
        return _likelihood.Next(surprise, _points > _o.WarmupPoints);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Surprise(DateTime time, double value, double? seasonalStep, double? lagged, out double levelSurprise, out double residualSurprise)
    {
        levelSurprise = 0;
        residualSurprise = 0;
        if (_level.Count < 8) return 0;
        var floor = ScaleFloor(_level);
        levelSurprise = Math.Abs(value - _level.Median) / Math.Max(_level.Mad(), floor);
        var level = levelSurprise;
        var stepSpread = _steps.Count >= 8 ? _steps.Mad() : double.NaN;
        if (Hourly(time) && _steps.Count >= 8)
        {
            // Against the same hour of earlier days, the spread is at least the point-to-point noise (steps / √2).
            var noise = Math.Max(stepSpread / Math.Sqrt(2), floor);
            var span = time - _firstTime;
            var seasonal = double.PositiveInfinity;
            if (lagged is { } r && _residuals.Count >= 8)
                seasonal = residualSurprise = Math.Abs(r - _residuals.Median) / Math.Max(_residuals.Mad(), Math.Max(ScaleFloor(_residuals), ScaleFloor(_steps)));
            if (span >= TimeSpan.FromDays(21) && _weekly.Judge(time, value, noise) is { } w) seasonal = Math.Min(seasonal, w);
            // A series whose season predicts it far better than its overall level is judged by its season alone:
            // the night's value at noon is within the day's range, but not within noon's.
            if (!double.IsInfinity(seasonal)) level = _seasonError < _o.SeasonTrust * _levelError ? seasonal : Math.Min(level, seasonal);
        }
        var step = 0.0;
        if (_previous is { } p && _steps.Count >= 8)
        {
            var stepFloor = ScaleFloor(_steps);
            step = Math.Abs(value - p - _steps.Median) / Math.Max(stepSpread, stepFloor);
            // A jump the series also made one day earlier at the same minute is its cycle, not a break.
            if (seasonalStep is { } ss && _seasonalSteps.Count >= 8)
            {
                var seasonal = Math.Abs(ss - _seasonalSteps.Median) / Math.Max(_seasonalSteps.Mad(), Math.Max(ScaleFloor(_seasonalSteps), stepFloor));
                step = _seasonStepError < _o.SeasonTrust * _stepError ? seasonal : Math.Min(step, seasonal);
            }
            step *= _o.StepWeight;
        }
        return Math.Max(level, step);
    }

    /// <summary>This point minus the median of the same minute of the last three days (those the lag buffer reaches).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double? LaggedResidual(DateTime time, double value)
    {
        if (!Hourly(time)) return null;
        var tolerance = TimeSpan.FromSeconds(_intervals.Median / 2);
        Span<double> same = stackalloc double[3];
        var n = 0;
        for (var day = 1; day <= 3; day++)
            if (_lag.ValueAt(time - TimeSpan.FromDays(day), tolerance) is { } v) same[n++] = v;
        if (n == 0) return null;
        var found = same[..n];
        found.Sort();
        return value - SortedWindow.QuantileOf(found, 0.5);
    }

    /// <summary>This point's change minus the change one day earlier at the same time, when the lag buffer reaches back a day.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double? SeasonalStep(DateTime time, double value)
    {
        if (_previous is not { } p || !Hourly(time)) return null;
        var tolerance = TimeSpan.FromSeconds(_intervals.Median / 2);
        return _lag.StepAt(time - TimeSpan.FromDays(1), tolerance) is { } before ? value - p - before : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Learn(DateTime time, double value, double? seasonalStep, double? lagged, double levelSurprise, double residualSurprise)
    {
        if (_previousTime is { } pt && time > pt) _intervals.Add((time - pt).TotalSeconds);
        if (lagged is { } e && _level.Count >= 8)
        {
            _levelError += (Math.Abs(value - _level.Median) - _levelError) * ErrorRate;
            _seasonError += (Math.Abs(e) - _seasonError) * ErrorRate;
        }
        if (lagged is { } r2) _residuals.Add(r2);
        if (_previous is { } p && seasonalStep is { } s)
        {
            _stepError += (Math.Abs(value - p) - _stepError) * ErrorRate;
            _seasonStepError += (Math.Abs(s) - _seasonStepError) * ErrorRate;
        }
        if (_previous is { } p2) _steps.Add(value - p2);
        if (seasonalStep is { } ss) _seasonalSteps.Add(ss);
        _lag.Add(time, value);
        _level.Add(value);
        _daily.Add(time, value);
        _weekly.Add(time, value);
        // A level that stays far from the usual for a run of points is a new regime: forget the old one.
        _shiftedRun = levelSurprise > _o.ShiftSurprise ? _shiftedRun + 1 : 0;
        if (_shiftedRun >= _o.ShiftRun)
        {
            _level.KeepNewest(_o.ShiftRun);
            _shiftedRun = 0;
        }
        // The same for the cycle: a series shifted off its days before keeps its new offset as the usual.
        _shiftedResiduals = residualSurprise > _o.ShiftSurprise ? _shiftedResiduals + 1 : 0;
        if (_shiftedResiduals >= _o.CycleShiftRun)
        {
            _residuals.KeepNewest(_o.CycleShiftRun);
            _shiftedResiduals = 0;
        }
        _previous = value;
        _previousTime = time;
    }

    /// <summary>Everything a later point reads: the windows, the seasonal slots, the surprise history and the last point. The options are the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("SeriesDetector");
        _level.Save(w);
        _steps.Save(w);
        _intervals.Save(w);
        _daily.Save(w);
        _weekly.Save(w);
        _likelihood.Save(w);
        _lag.Save(w);
        _seasonalSteps.Save(w);
        _residuals.Save(w);
        w.Write(_previous);
        w.Write(_previousTime.HasValue);
        if (_previousTime is { } pt) Write(w, pt);
        Write(w, _firstTime);
        w.Write(_shiftedRun);
        w.Write(_shiftedResiduals);
        w.Write(_points);
        w.Write(_levelError);
        w.Write(_seasonError);
        w.Write(_stepError);
        w.Write(_seasonStepError);
    }

    public void Restore(StateReader r)
    {
        r.Section("SeriesDetector");
        _level.Restore(r);
        _steps.Restore(r);
        _intervals.Restore(r);
        _daily.Restore(r);
        _weekly.Restore(r);
        _likelihood.Restore(r);
        _lag.Restore(r);
        _seasonalSteps.Restore(r);
        _residuals.Restore(r);
        _previous = r.ReadNullableDouble();
        _previousTime = r.ReadBool() ? Read(r) : null;
        _firstTime = Read(r);
        _shiftedRun = r.ReadInt();
        _shiftedResiduals = r.ReadInt();
        _points = r.ReadInt();
        _levelError = r.ReadDouble();
        _seasonError = r.ReadDouble();
        _stepError = r.ReadDouble();
        _seasonStepError = r.ReadDouble();
    }

    private static void Write(StateWriter w, DateTime t)
    {
        w.Write(t.Ticks);
        w.Write((int)t.Kind);
    }

    private static DateTime Read(StateReader r)
    {
        var ticks = r.ReadLong();
        var kind = r.ReadInt();
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || kind is < 0 or > 2) throw new StateFormatException($"{ticks} ticks of kind {kind} is no time");
        return new DateTime(ticks, (DateTimeKind)kind);
    }

    /// <summary>Seasonal views need regular sampling at least hourly.</summary>
    private bool Hourly(DateTime time) => _intervals.Count >= 8 && _intervals.Median <= 3600;

    /// <summary>
    /// A lower bound on the spread, so a flat stretch (MAD 0, common in counts) does not make the first small
    /// wiggle infinitely surprising: a share of the window's 5–95% range, and a tiny share of its magnitude.
    /// </summary>
    private double ScaleFloor(SortedWindow w) =>
        Math.Max(Math.Max(_o.RangeFloor * (w.Quantile(0.95) - w.Quantile(0.05)), 1e-6 * (Math.Abs(w.Median) + 1)), _o.AbsoluteFloor);
}
