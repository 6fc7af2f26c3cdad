using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Simulator;
using NodaTime;

namespace Monitor.Evaluation;

/// <summary>
/// The first moment the facts of an incident allowed its rule's finding: what time to detect is measured from
/// (docs/tuning.md, "Time to detect"). Worked out from the labelled incident's own events and the events file, under the
/// settings of the run, independently of the detectors:
/// <list type="bullet">
/// <item>a rule on single events: the incident's first event that breaks it;</item>
/// <item>a count: the incident's event that brings the count to its threshold (REPEATED_SUBJECT's <c>perUserCount</c>-th
/// read, POST_LOAN_ABUSE's <c>unknownSubjectsPerDay</c>-th unknown subject, POST_LOAN_CUMULATIVE's <c>minSubjects</c>-th,
/// LOGIN_FAILURES's <c>perAccount</c>-th failure, SHARED_ACCOUNT's second place, ADMIN_GOVERNANCE's burst or resets);</item>
/// <item>VOLUME_SPIKE and REPEAT_RATIO, whose thresholds hang on the entity's own traffic: the read that takes the day's
/// count past the lower of the fixed and the relative threshold (the median of its last six active days of the same kind),
/// or the share of repeated subjects over the look-back past its threshold;</item>
/// <item>something missing (a register entry, a leaver's account still enabled): the moment the allowed time ran out,
/// plus the allowed lateness, since a late event could still have brought it;</item>
/// <item>PASSWORD_AGE: the first use of the account once the password is overdue;</item>
/// <item>BEHAVIOUR_OUTLIER, whose day view judges a whole day: the end of the day the alert is about.</item>
/// </list>
/// </summary>
public sealed class ThresholdCrossing
{
    private readonly Dictionary<string, QueryLogEvent> _byId;
    private readonly ILookup<string, QueryLogEvent> _byUser;
    private readonly ILookup<string, QueryLogEvent> _byBranch;
    private readonly DetectionSettings _settings;
    private readonly DateTimeZone _zone;
    private readonly Monitor.Detectors.Calendar.WorkCalendar _calendar;

    private readonly Dictionary<LocalDate, double> _peaks;

    /// <param name="events">The events file of the run.</param>
    /// <param name="settings">The settings of the run (its thresholds).</param>
    /// <param name="labels">The labels: calendar peaks raise a relative threshold by their factor that day, as the monitor does.</param>
    public ThresholdCrossing(IReadOnlyList<QueryLogEvent> events, DetectionSettings settings, IReadOnlyList<IncidentLabel>? labels = null)
    {
        _byId = new Dictionary<string, QueryLogEvent>(StringComparer.Ordinal);
        foreach (var e in events) _byId.TryAdd(e.EventId, e);
        var reads = events.Where(e => e.Type != EventType.Register && e.Type != EventType.Employee).OrderBy(e => e.OccurredAt).ToList();
        _byUser = reads.ToLookup(e => e.UserId, StringComparer.Ordinal);
        _byBranch = reads.Where(e => e.IsSuccessfulQuery).ToLookup(e => e.BranchId, StringComparer.Ordinal);
        _settings = settings;
        _zone = DateTimeZoneProviders.Tzdb[settings.TimeZone];
        _calendar = Monitor.Detectors.Calendar.WorkCalendar.Load(settings.CalendarFiles);
        _peaks = (labels ?? []).Where(l => l.Kind == "peak_day" && l.Factor is not null).ToDictionary(l => DayOf(l.Start), l => l.Factor!.Value);
    }

    /// <summary>When <paramref name="rule"/>'s threshold was first crossed by incident <paramref name="label"/>; <paramref name="alert"/> is the rule's first alert on it.</summary>
    public DateTimeOffset Of(IncidentLabel label, string rule, Alert alert)
    {
        var own = (label.Events ?? []).Select(id => _byId.GetValueOrDefault(id)).OfType<QueryLogEvent>().OrderBy(e => e.OccurredAt).ToList();
        var r = _settings;
        DateTimeOffset Nth(IEnumerable<QueryLogEvent> events, int n)
        {
            var list = events.ToList();
            return list.Count == 0 ? label.Start : list[Math.Min(n, list.Count) - 1].OccurredAt;
        }
        var reads = own.Where(e => e.IsSuccessfulQuery);
        return rule switch
        {
            RuleIds.RepeatedSubject => Nth(reads, r.RepeatedSubject.PerUserCount),
            RuleIds.PostLoanAbuse => Nth(reads.Where(e => e.Purpose == Purpose.PostLoanManagement), r.PostLoan.UnknownSubjectsPerDay),
            RuleIds.PostLoanCumulative => Nth(reads.Where(e => e.Purpose == Purpose.PostLoanManagement), r.PostLoanCumulative.MinSubjects),
            RuleIds.LoginFailures => Nth(own.Where(e => e.Type == EventType.Login && e.Outcome == Outcome.Failed), r.LoginFailures.PerAccount),
            RuleIds.SharedAccount => Nth(own, 2),
            RuleIds.AdminGovernance => label.Kind switch
            {
                "admin_burst" => Nth(own, r.AdminGovernance.BurstChanges),
                "admin_password_resets" => Nth(own, r.AdminGovernance.PasswordResetsPerMonth + 1),
                _ => Nth(own, 1),
            },
            RuleIds.RegisterMismatch => Nth(reads, 1) + TimeSpan.FromMinutes(r.RegisterMismatch.LateEntryMinutes) + r.AllowedLateness,
            RuleIds.LeaverAccount when !reads.Any() => label.Start + r.AllowedLateness,
            RuleIds.DormantAccount or RuleIds.LeaverAccount => Nth(reads, 1),
            RuleIds.PasswordAge => _byUser[label.UserId ?? ""].FirstOrDefault(e => e.OccurredAt >= label.Start && e.Outcome == Outcome.Success && e.Type is EventType.Login or EventType.Query)?.OccurredAt ?? label.Start,
            RuleIds.VolumeSpike => Volume(label, own) ?? label.Start,
            RuleIds.RepeatRatio => Ratio(label) ?? label.Start,
            RuleIds.BehaviourOutlier => _zone.AtStartOfDay(LocalDate.FromDateTime(DateTime.Parse(alert.Day, System.Globalization.CultureInfo.InvariantCulture)).PlusDays(1)).ToDateTimeOffset(),
            _ => Nth(own.Any(e => e.IsQuery) ? own.Where(e => e.IsQuery) : own, 1),
        };
    }

    /// <summary>The read that takes the entity's count on the incident's first day past the lower of its fixed and relative thresholds.</summary>
    private DateTimeOffset? Volume(IncidentLabel label, List<QueryLogEvent> own)
    {
        var branch = label.EntityType == "branch";
        var all = branch ? _byBranch[label.EntityId] : _byUser[label.UserId ?? label.EntityId].Where(e => e.IsSuccessfulQuery);
        var first = own.Count > 0 ? own[0].OccurredAt : label.Start;
        var day = DayOf(first);
        var perDay = all.GroupBy(e => DayOf(e.OccurredAt)).ToDictionary(g => g.Key, g => g.ToList());
        var v = _settings.Volume;
        // The usual day as docs/indicators.md defines it: the median of the last six active days of the same kind (that
        // weekday when a working day, else any non-working day) ending three days before, falling back to all working days.
        int Kind(LocalDate d) => _calendar.IsWorkingDay(d) ? (int)d.DayOfWeek : 0;
        List<int> Usual(Func<LocalDate, bool> same) => perDay.Keys.Where(d => d <= day.PlusDays(-3) && same(d))
            .GroupBy(Kind).SelectMany(g => g.OrderByDescending(d => d).Take(6)).Select(d => perDay[d].Count).Order().ToList();
        var usual = Usual(d => Kind(d) == Kind(day));
        if (usual.Count < v.RelativeMinHistoryDays && Kind(day) != 0) usual = Usual(d => Kind(d) != 0);
        var fixedLimit = (branch ? v.BranchDaily : v.UserDaily) ?? int.MaxValue;
        var peak = _peaks.GetValueOrDefault(day, 1);
        var relative = usual.Count >= v.RelativeMinHistoryDays && v.RelativeFactor is { } f
            ? Math.Max(branch ? v.RelativeMinBranch : v.RelativeMinUser, (int)Math.Ceiling(f * Math.Max(1, usual[usual.Count / 2]) * peak))
            : int.MaxValue;
        var threshold = Math.Min(fixedLimit, relative);
        var today = perDay.GetValueOrDefault(day) ?? [];
        return today.Count > threshold ? today[threshold].OccurredAt : null;
    }

    /// <summary>
    /// The user's read from the incident's start on that is itself a repeat (the rule follows a user who keeps repeating) and
    /// finds the share of repeated subjects over the look-back past the threshold.
    /// </summary>
    private DateTimeOffset? Ratio(IncidentLabel label)
    {
        var rr = _settings.RepeatRatio;
        var reads = _byUser[label.UserId ?? label.EntityId].Where(e => e.IsSuccessfulQuery && e.SubjectKey != 0).ToList();
        foreach (var read in reads.Where(e => e.OccurredAt >= label.Start))
        {
            var day = DayOf(read.OccurredAt);
            var from = day.PlusDays(-rr.LookbackDays + 1);
            if (!reads.Any(e => e.SubjectKey == read.SubjectKey && e.OccurredAt < read.OccurredAt && DayOf(e.OccurredAt) >= from)) continue;
            var days = reads.Where(e => e.OccurredAt <= read.OccurredAt && DayOf(e.OccurredAt) >= from)
                .GroupBy(e => e.SubjectKey).Select(g => g.Count()).ToList();
            if (days.Count >= rr.MinSubjects && days.Count(n => n > 1) > rr.Threshold * days.Count) return read.OccurredAt;
        }
        return null;
    }

    private LocalDate DayOf(DateTimeOffset t) => Instant.FromDateTimeOffset(t).InZone(_zone).Date;

}
