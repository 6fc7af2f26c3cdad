using Monitor.Contracts.State;
using NodaTime;

namespace Monitor.Detectors.Rules;

/// <summary>
/// The relative VOLUME_SPIKE: a day far above the entity's usual day of the same kind. A day's kind is its
/// weekday when it is a working day, or "non-working" (weekends and holidays alike); the usual level is the
/// median of the last <see cref="HistoryPerKind"/> active days of that kind, falling back to all working days
/// while a weekday has too few.
/// <para>
/// A branch hears from many Kafka partitions, which are not read in step, so a day stays open for counting
/// until <see cref="OpenDays"/> newer days have begun, and a day's usual level uses only days at least
/// <see cref="OpenDays"/> before it. Both runs of the same events (a replay in order, or partitions read
/// unevenly by up to two days) then judge every day against the same history. Memory is fixed.
/// </para>
/// </summary>
public sealed class RelativeVolume : IDurableState
{
    public const int HistoryPerKind = 6;
    public const int OpenDays = 3;
    private const int Kinds = 8;
    private const int NonWorking = 7;
    private const int None = int.MinValue;

    private readonly int[] _historyDay = Filled(Kinds * HistoryPerKind, None);
    private readonly int[] _historyCount = new int[Kinds * HistoryPerKind];
    private readonly int[] _next = new int[Kinds];
    private readonly int[] _openDay = Filled(OpenDays, None);
    private readonly int[] _openKind = new int[OpenDays];
    private readonly int[] _openCount = new int[OpenDays];
    private readonly int[] _openUsual = new int[OpenDays];
    private readonly int[] _openThreshold = new int[OpenDays];
    private int _newest = None;

    /// <summary>
    /// Counts one query on the entity's day; returns the finding's figures when this query is over the relative threshold,
    /// which is <paramref name="factor"/> × the usual day × <paramref name="peers"/> (how much busier than usual the
    /// entity's peers are so far that day: a quarter-end raises everyone's expectation alike), and at least <paramref name="minCount"/>.
    /// </summary>
    public (int Count, int Usual, int Threshold)? Count(LocalDate date, bool workingDay, double? factor, int minCount, int minHistory, double peers = 1)
    {
        var day = Findings.DayNumber(date);
        if (day > _newest)
        {
            _newest = day;
            for (var i = 0; i < OpenDays; i++)
                if (_openDay[i] != None && _openDay[i] <= day - OpenDays) Close(i);
        }
        else if (day <= _newest - OpenDays) return null; // later than any partition skew we wait for: its history is written
        var slot = day % OpenDays;
        if (_openDay[slot] != day)
        {
            if (_openDay[slot] != None) Close(slot);
            _openDay[slot] = day;
            _openKind[slot] = workingDay ? (int)date.DayOfWeek % 7 : NonWorking;
            _openCount[slot] = 0;
            _openUsual[slot] = Usual(_openKind[slot], day - OpenDays, minHistory);
            _openThreshold[slot] = factor is { } f && _openUsual[slot] >= 0
                ? Math.Max(minCount, (int)Math.Ceiling(f * Math.Max(_openUsual[slot], 1)))
                : int.MaxValue;
        }
        var count = ++_openCount[slot];
        var threshold = peers > 1 && factor is { } fp && _openUsual[slot] >= 0
            ? Math.Max(minCount, (int)Math.Ceiling(fp * Math.Max(_openUsual[slot], 1) * peers))
            : _openThreshold[slot];
        return count > threshold ? (count, _openUsual[slot], threshold) : null;
    }

    private void Close(int slot)
    {
        var kind = _openKind[slot];
        var at = kind * HistoryPerKind + _next[kind];
        _historyDay[at] = _openDay[slot];
        _historyCount[at] = _openCount[slot];
        _next[kind] = (_next[kind] + 1) % HistoryPerKind;
        _openDay[slot] = None;
    }

    private int Usual(int kind, int latestDay, int minHistory)
    {
        Span<int> values = stackalloc int[Kinds * HistoryPerKind];
        var n = Collect(kind, latestDay, values);
        if (n >= minHistory) return Median(values[..n]);
        if (kind == NonWorking) return -1;
        n = 0;
        for (var k = 0; k < NonWorking; k++) n += Collect(k, latestDay, values[n..]);
        return n >= minHistory ? Median(values[..n]) : -1;
    }

    private int Collect(int kind, int latestDay, Span<int> into)
    {
        var n = 0;
        for (var i = kind * HistoryPerKind; i < (kind + 1) * HistoryPerKind; i++)
            if (_historyDay[i] != None && _historyDay[i] <= latestDay) into[n++] = _historyCount[i];
        return n;
    }

    private static int Median(Span<int> values)
    {
        values.Sort();
        return values[values.Length / 2];
    }

    private static int[] Filled(int length, int value)
    {
        var a = new int[length];
        Array.Fill(a, value);
        return a;
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(RelativeVolume));
        foreach (var a in (int[][])[_historyDay, _historyCount, _next, _openDay, _openKind, _openCount, _openUsual, _openThreshold])
            w.Write(a, static (w, v) => w.Write(v));
        w.Write(_newest);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(RelativeVolume));
        foreach (var a in (int[][])[_historyDay, _historyCount, _next, _openDay, _openKind, _openCount, _openUsual, _openThreshold])
            r.ReadArray(a, static r => r.ReadInt());
        _newest = r.ReadInt();
        if (_next.Any(n => n is < 0 or >= HistoryPerKind) || _openKind.Any(k => k is < 0 or >= Kinds)) throw new StateFormatException("relative volume position out of range");
    }
}
