using Monitor.Contracts.State;
using Monitor.Detectors.Calendar;
using NodaTime;

namespace Monitor.Detectors.Peers;

/// <summary>
/// The factors of the recurring busy days, learned from history (issue 18): at each such day's end the bank's factor
/// (its reads over its usual) is kept under the day's kind (<see cref="WorkCalendar.PeakKinds"/>; a quarter-end only as a
/// quarter-end), and the next day of that kind is expected at the median of the last <see cref="Kept"/>. A quarter-end not
/// seen yet is expected as a month-end. With the analysts' declared peaks (calendar files) this is the day's prior: what
/// everyone is expected to read before the day has said so itself.
/// </summary>
public sealed class LearnedPeaks : IDurableState
{
    public const int Kept = 4;
    private readonly Dictionary<int, List<double>> _seen = [];

    /// <summary>The expected factor of <paramref name="date"/>: the declared one or the learned one of its kinds, whichever is larger (at least 1).</summary>
    public double Prior(WorkCalendar calendar, LocalDate date)
    {
        var prior = calendar.DeclaredPeak(date);
        var kinds = calendar.PeakKinds(date);
        foreach (var kind in Peaks.All)
        {
            if ((kinds & kind) == 0) continue;
            var learned = Learned(kind) ?? (kind == Peaks.QuarterEnd ? Learned(Peaks.MonthEnd) : null);
            if (learned is { } f) prior = Math.Max(prior, f);
        }
        return Math.Max(1, prior);
    }

    /// <summary>Keeps a day's measured bank factor under its kinds.</summary>
    public void Record(int kinds, double factor)
    {
        if (double.IsNaN(factor) || factor <= 0) return;
        foreach (var kind in Peaks.All)
        {
            if ((kinds & kind) == 0) continue;
            if (!_seen.TryGetValue(kind, out var list)) _seen[kind] = list = [];
            list.Add(factor);
            if (list.Count > Kept) list.RemoveAt(0);
        }
    }

    /// <summary>The learned factor of a kind (null before its first day was seen).</summary>
    public double? Learned(int kind)
    {
        if (!_seen.TryGetValue(kind, out var list) || list.Count == 0) return null;
        var sorted = list.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public void Save(StateWriter w) => w.Write(_seen, static (w, k) => w.Write(k), static (w, list) => w.Write(list, static (w, f) => w.Write(f)));

    public void Restore(StateReader r)
    {
        _seen.Clear();
        r.ReadInto(_seen, static r => r.ReadInt(), static r => r.ReadList(static r => r.ReadDouble()));
    }
}
