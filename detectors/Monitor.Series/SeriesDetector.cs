using Monitor.Contracts.State;

namespace Monitor.Series;

/// <summary>
/// A streaming anomaly detector for one univariate series (a user's or a branch's query volume, or any metric):
/// each point is scored from that point and the points before it only, in about a microsecond, with memory fixed
/// whatever the length. Microsoft.ML.TimeSeries is not available from the package registry here; this is the
/// small replacement the project needs, described in docs/models.md.
/// <para>
/// Three robust views of "usual" judge a point: the level of the recent window (median and MAD), the step from
/// the previous point (sudden jumps in smooth series), and the same hour of the day and of the week when the
/// series is sampled at least hourly (seasonality). The point's surprise is the smaller of the level views (a
/// point the season explains is not unusual) or the step, whichever is larger. Surprises are then turned into
/// an anomaly likelihood: how unusual the last few surprises are against the series' own recent surprises,
/// so a noisy series does not alarm all day and a quiet one alarms at its first real break. A level that stays
/// shifted becomes the new usual after a short run, so one change raises one alarm, not hundreds.
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
    private double? _previous;
    private DateTime? _previousTime;
    private DateTime _firstTime;
    private int _shiftedRun;
    private int _points;
    private double? _seasonalStep;
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

    /// <summary>Scores the next point; returns the anomaly score in [0, 1]. Points must come in time order.</summary>
    public double Score(DateTime time, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return 0;
        if (_points == 0) _firstTime = time;
        _seasonalStep = SeasonalStep(time, value);
        var surprise = Surprise(time, value, out var levelSurprise);
        Learn(time, value, levelSurprise);
        _points++;
        return _likelihood.Next(surprise, _points > _o.WarmupPoints);
    }

    private double Surprise(DateTime time, double value, out double levelSurprise)
    {
        levelSurprise = 0;
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
            if (span >= TimeSpan.FromDays(3) && _daily.Judge(time, value, noise) is { } d) seasonal = Math.Min(seasonal, d);
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
            if (_seasonalStep is { } ss && _seasonalSteps.Count >= 8)
            {
                var seasonal = Math.Abs(ss - _seasonalSteps.Median) / Math.Max(_seasonalSteps.Mad(), Math.Max(ScaleFloor(_seasonalSteps), stepFloor));
                step = _seasonStepError < _o.SeasonTrust * _stepError ? seasonal : Math.Min(step, seasonal);
            }
            step *= _o.StepWeight;
        }
        return Math.Min(Math.Max(level, step), _o.MaxSurprise);
    }

    /// <summary>This point's change minus the change one day earlier at the same time, when the lag buffer reaches back a day.</summary>
    private double? SeasonalStep(DateTime time, double value)
    {
        if (_previous is not { } p || !Hourly(time)) return null;
        var tolerance = TimeSpan.FromSeconds(_intervals.Median / 2);
        return _lag.StepAt(time - TimeSpan.FromDays(1), tolerance) is { } before ? value - p - before : null;
    }

    private void Learn(DateTime time, double value, double levelSurprise)
    {
        if (_previousTime is { } pt && time > pt) _intervals.Add((time - pt).TotalSeconds);
        if (Hourly(time) && _daily.Usual(time) is { } usual && _level.Count >= 8)
        {
            _levelError += (Math.Abs(value - _level.Median) - _levelError) * ErrorRate;
            _seasonError += (Math.Abs(value - usual) - _seasonError) * ErrorRate;
        }
        if (_previous is { } p && _seasonalStep is { } s)
        {
            _stepError += (Math.Abs(value - p) - _stepError) * ErrorRate;
            _seasonStepError += (Math.Abs(s) - _seasonStepError) * ErrorRate;
        }
        if (_previous is { } p2) _steps.Add(value - p2);
        if (_seasonalStep is { } ss) _seasonalSteps.Add(ss);
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
        w.Write(_previous);
        w.Write(_previousTime.HasValue);
        if (_previousTime is { } pt) Write(w, pt);
        Write(w, _firstTime);
        w.Write(_shiftedRun);
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
        _previous = r.ReadNullableDouble();
        _previousTime = r.ReadBool() ? Read(r) : null;
        _firstTime = Read(r);
        _shiftedRun = r.ReadInt();
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

    /// <summary>
    /// One cycle (the day, the week) in hourly slots. A slot keeps the mean of each of its past hours (one value
    /// per cycle, the last six cycles), so a point is compared with the same hour of earlier days, not with the
    /// minutes just before it. The slots live in one flat array (a week of them is 8 KB), since every user and
    /// branch of the monitor has one.
    /// </summary>
    private sealed class Seasonal(int slots, TimeSpan slotLength)
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
}
