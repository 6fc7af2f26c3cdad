using Monitor.Contracts;
using Monitor.Contracts.State;
using System.Globalization;
using NodaTime;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// VOLUME_SPIKE on fixed thresholds: successful queries per local day and per month for one entity. Every
/// query beyond the daily threshold is a finding (folded into that day's alert); the monthly threshold fires
/// once when crossed and again each time the count doubles. Only the current and recent periods are kept.
/// </summary>
public sealed class VolumeCounter : IDurableState
{
    private readonly Dictionary<LocalDate, int> _days = [];
    private readonly Dictionary<int, int> _months = [];
    private LocalDate _newestDay;

    public void Count(in EventContext c, EntityKind kind, string entityId, int? dailyLimit, int? monthlyLimit, Phrase what, List<Finding> into)
    {
        var day = c.Day;
        if (day > _newestDay)
        {
            _newestDay = day;
            Evict(day);
        }
        else if (day < _newestDay.PlusDays(-2))
        {
            return; // Older than the periods still held: the ingest lateness guard keeps this rare.
        }
        var d = _days[day] = _days.GetValueOrDefault(day) + 1;
        var mk = MonthKey(day);
        var m = _months[mk] = _months.GetValueOrDefault(mk) + 1;
        if (dailyLimit is { } dl && d > dl)
        {
            into.Add(Make(c, kind, entityId, Alerts.Scoring.OfRatio(d, dl), null,
                Phrase.Of("VOLUME_SPIKE.daily", what, d, c.DayKey, dl)));
        }
        if (monthlyLimit is { } ml && m > ml && IsDoublingPoint(m - 1, ml))
        {
            var month = day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            into.Add(Make(c, kind, entityId, Alerts.Scoring.OfRatio(m, ml), month,
                Phrase.Of("VOLUME_SPIKE.monthly", what, m, month, c.DayKey, ml)));
        }
    }

    private static bool IsDoublingPoint(int before, int limit)
    {
        // Fires at limit+1, 2*limit+1, 4*limit+1, ...: one alert revision per doubling, not per query.
        if (before < limit) return false;
        var q = before / limit;
        return before % limit == 0 && (q & (q - 1)) == 0;
    }

    private static Finding Make(in EventContext c, EntityKind kind, string entityId, double magnitude, string? period, Phrase text) =>
        new(RuleIds.VolumeSpike, kind, entityId, kind == EntityKind.User ? c.Event.UserId : null,
            kind == EntityKind.User ? c.Event.BranchId : entityId, Severity.High, c.Event.OccurredAt, c.Event.EventId, text)
        {
            Magnitude = magnitude,
            Period = period,
            BranchSurge = kind == EntityKind.User ? c.Event.BranchSurge : 1,
        };

    private static int MonthKey(LocalDate d) => checked(d.Year * 12 + d.Month);

    private void Evict(LocalDate newest)
    {
        foreach (var day in _days.Keys.Where(k => k < newest.PlusDays(-2)).ToList()) _days.Remove(day);
        var keep = MonthKey(newest.PlusDays(-3));
        foreach (var m in _months.Keys.Where(k => k < keep).ToList()) _months.Remove(m);
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(VolumeCounter));
        w.Write(_days, static (w, d) => w.WriteDate(d), static (w, n) => w.Write(n));
        w.Write(_months, static (w, m) => w.Write(m), static (w, n) => w.Write(n));
        w.WriteDate(_newestDay);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(VolumeCounter));
        _days.Clear();
        r.ReadInto(_days, static r => r.ReadDate(), static r => r.ReadInt());
        _months.Clear();
        r.ReadInto(_months, static r => r.ReadInt(), static r => r.ReadInt());
        _newestDay = r.ReadDate();
    }
}
