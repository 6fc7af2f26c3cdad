using Monitor.Contracts.State;
using System.Globalization;
using Monitor.Contracts;
using Monitor.Detectors.Rules;
using Monitor.Models;
using static Monitor.Detectors.Behaviour.BehaviourFeatures;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Behaviour;

/// <summary>
/// BEHAVIOUR_OUTLIER for one user or branch: builds its day window from its events, and when the day is over
/// (its first event of a later day, or the coordinator's end-of-day tick) judges the window against the entity's
/// own history and its peer group's model, raises a finding when the score reaches the threshold, and hands
/// the window to training. The day is judged against its peers that same day too (issue 18): its reads count divided
/// by how much busier than usual its peers were (the factor the coordinator's <see cref="Peers.PeerDays"/> stamped on
/// its reads, the entity itself left out), so a quarter-end that everyone shares is no anomaly and 6 times the usual on
/// that day still is; a new account is judged by its peers only while it ramps up.
/// </summary>
public sealed class BehaviourWatch : IDurableState
{
    private readonly EntityKind _kind;
    private readonly string _entityId;
    private readonly DetectorContext _context;
    private readonly FeatureWindow _window;
    private readonly OwnHistory _history;
    private readonly HourlyVolume? _hourly;
    private readonly List<HourScore> _hours = [];
    private readonly List<(int Day, Phrase Text)> _flaggedHours = [];
    private readonly Dictionary<int, (double Factor, double Surge)> _peerByDay = []; // the latest peer factor and branch surge stamped on a read of each recent day
    private long _earlyHour = long.MinValue; // the last hour flagged while it was still running
    private NodaTime.DateTimeZone? _zone;
    private IReadOnlyList<string>? _groups;
    private string? _userId;
    private string _branchId = "";
    private int _closedThrough = int.MinValue;

    public BehaviourWatch(EntityKind kind, string entityId, DetectorContext context)
    {
        _kind = kind;
        _entityId = entityId;
        _context = context;
        _window = new FeatureWindow(countUsers: kind == EntityKind.Branch);
        var s = context.Settings.Behaviour;
        _history = new OwnHistory(s.HistoryDays, s.LagDays);
        if (s.Enabled && s.Hourly) _hourly = new HourlyVolume(context.Settings.AllowedLateness);
    }

    /// <summary>Peer groups, most specific first: a user's branch, its parent branch, the bank; a branch's parent (its siblings), the bank.</summary>
    /// <remarks>Users are peers only of users in the same job: the same role on the same channel (a kiosk is no peer of a counter clerk).</remarks>
    public static IReadOnlyList<string> GroupsOf(EntityKind kind, QueryLogEvent e)
    {
        // Plain arrays (not collection expressions, whose type the compiler makes up): a restored list is the same type.
        if (kind != EntityKind.User) return new[] { $"b:{e.ParentBranchId ?? "-"}", "b:*" };
        var job = $"{(e.UserRole is { } r ? WireNames.Of(r) : "unknown")}/{(e.Channel is { } ch ? WireNames.Of(ch) : "unknown")}";
        return e.ParentBranchId is null
            ? new[] { $"u:{e.BranchId}:{job}", $"u:*:{job}" }
            : new[] { $"u:{e.BranchId}:{job}", $"u:{e.ParentBranchId}:{job}", $"u:*:{job}" };
    }

    /// <summary>
    /// The open window, the own history and drift, the hour series (when the hour view is on), the hours flagged
    /// today and what the entity is (zone, peer groups, ids, the last day judged). The peer models are not state
    /// of the watch: it reads the installed set through the <see cref="DetectorContext"/> when a window closes.
    /// </summary>
    public void Save(StateWriter w)
    {
        w.Section("BehaviourWatch");
        _window.Save(w);
        _history.Save(w);
        w.Write(_hourly is not null);
        _hourly?.Save(w);
        w.Write(_flaggedHours, (w, h) =>
        {
            w.Write(h.Day);
            w.WritePhrase(h.Text);
        });
        w.WriteNullable(_zone?.Id);
        w.Write(_groups is not null);
        if (_groups is not null) w.Write(_groups, (w, g) => w.Write(g));
        w.WriteNullable(_userId);
        w.Write(_branchId);
        w.Write(_closedThrough);
        w.Write(_peerByDay, static (w, d) => w.Write(d), static (w, f) =>
        {
            w.Write(f.Factor);
            w.Write(f.Surge);
        });
        w.Write(_earlyHour);
    }

    public void Restore(StateReader r)
    {
        r.Section("BehaviourWatch");
        _window.Restore(r);
        _history.Restore(r);
        if (r.ReadBool())
        {
            // Saved while the hour view was on: a watch whose settings have it off since reads the series and drops it.
            (_hourly ?? new HourlyVolume(_context.Settings.AllowedLateness)).Restore(r);
        }
        _hours.Clear();
        _flaggedHours.Clear();
        _flaggedHours.AddRange(r.ReadList(r => (r.ReadInt(), r.ReadPhrase())));
        var zone = r.ReadNullableString();
        _zone = zone is null ? null : NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? throw new StateFormatException($"unknown time zone {zone}");
        _groups = r.ReadBool() ? r.ReadList(r => r.ReadString()).ToArray() : null;
        _userId = r.ReadNullableString();
        _branchId = r.ReadString();
        _closedThrough = r.ReadInt();
        _peerByDay.Clear();
        r.ReadInto(_peerByDay, static r => r.ReadInt(), static r => (r.ReadDouble(), r.ReadDouble()));
        _earlyHour = r.ReadLong();
    }

    /// <summary>
    /// Counts an event of the entity; an event of a later day first closes the open window. <paramref name="createdDay"/>
    /// is the day number the account was created on, when known (an account event, or the bank's directory): it ramps
    /// up, and is judged by its peers only, for <c>behaviour.rampDays</c> after it.
    /// </summary>
    public void Observe(in EventContext c, DetectionOutput output, List<Finding> found, int? createdDay = null)
    {
        var e = c.Event;
        _zone = c.Policy.Zone;
        var day = Findings.DayNumber(c.Day);
        if (e.IsSuccessfulQuery) NotePeers(day, _kind == EntityKind.User ? e.PeerFactor : e.BranchPeerFactor, e.BranchSurge);
        if (_hourly is not null)
        {
            _hourly.Advance(c.Local.ToDateTimeUnspecified(), _hours);
            JudgeHours(e.OccurredAt, found, createdDay);
            if (e.IsQuery && _hourly.Count(c.Local.ToDateTimeUnspecified())) JudgeRunningHour(c, found, createdDay);
        }
        if (day <= _closedThrough) return; // a late event of a day already judged
        if (day != _window.Day)
        {
            if (day < _window.Day) return;
            Close(ClosedBy(e.OccurredAt), output, found, createdDay);
            _window.Start(c);
        }
        if (_groups is null && e.IsQuery) _groups = GroupsOf(_kind, e);
        _userId ??= _kind == EntityKind.User ? e.UserId : null;
        _branchId = e.BranchId;
        if (e.IsQuery) _window.Add(c);
    }

    /// <summary>The coordinator's tick: every day up to <paramref name="day"/> is over, event time <paramref name="at"/>.</summary>
    public void EndOfDay(int day, DateTimeOffset at, DetectionOutput output, List<Finding> found, int? createdDay = null)
    {
        if (_hourly is not null && _zone is not null)
        {
            _hourly.Advance(NodaTime.Instant.FromDateTimeOffset(at).InZone(_zone).LocalDateTime.ToDateTimeUnspecified(), _hours);
            JudgeHours(at, found, createdDay);
        }
        if (_window.Day > day) return;
        Close(ClosedBy(at), output, found, createdDay);
        _closedThrough = Math.Max(_closedThrough, day);
    }

    /// <summary>
    /// When the open window was over in event time: when its day ended plus the allowed lateness, or earlier if
    /// the entity's own next event came first. How many days one batch or tick spans then changes nothing.
    /// </summary>
    private DateTimeOffset ClosedBy(DateTimeOffset seen)
    {
        var over = _window.Ends + _context.Settings.AllowedLateness;
        return over < seen ? over : seen;
    }

    private void Close(DateTimeOffset at, DetectionOutput output, List<Finding> found, int? createdDay)
    {
        if (_window.IsEmpty || _window.Day <= _closedThrough || _groups is null) return;
        _closedThrough = _window.Day;
        Judge(at, _groups, output, found, createdDay);
        _flaggedHours.RemoveAll(h => h.Day <= _window.Day);
    }

    /// <summary>Remembers the latest peer factor stamped on a read of <paramref name="day"/>: the day and its hours are judged with it. Three days are kept.</summary>
    private void NotePeers(int day, double factor, double surge)
    {
        if (_peerByDay.Count > 3)
            foreach (var old in _peerByDay.Keys.Where(d => d < day - 2).ToList()) _peerByDay.Remove(old);
        if (factor == 1 && surge == 1 && !_peerByDay.ContainsKey(day)) return;
        _peerByDay[day] = (factor, surge);
    }

    /// <summary>Whether the account was created less than <c>behaviour.rampDays</c> before <paramref name="day"/>: a new account ramping up.</summary>
    private bool Ramping(int day, int? createdDay) =>
        _kind == EntityKind.User && createdDay is { } created && day - created < _context.Settings.Behaviour.RampDays;

    private void Judge(DateTimeOffset at, IReadOnlyList<string> groups, DetectionOutput output, List<Finding> found, int? createdDay)
    {
        var s = _context.Settings.Behaviour;
        var x = _window.Vector();
        var working = _window.Working;
        var days = _history.UsableDays(working);
        double[]? median = null, spread = null;
        if (days >= s.MinHistoryDays)
        {
            median = new double[Count];
            spread = new double[Count];
            _history.Usual(working, median, spread);
        }
        // Its peers that same day: its reads count as what they stand for on an ordinary day.
        var (factor, surge) = _peerByDay.GetValueOrDefault(_window.Day, (1, 1));
        if (factor > 1) x[Queries] = (float)Math.Log(1 + _window.Reports / factor);
        var ramping = Ramping(_window.Day, createdDay);
        if (ramping) median = spread = null; // a new account's first weeks are no usual: its peers judge it
        var peer = _context.Models.For(groups);
        var verdict = BehaviourJudge.Judge(x, _window.Reports, _window.Attempts, median, spread, _history.Drift, peer?.Model, s, coldStartPeers: _kind == EntityKind.User);
        var flagged = s.Enabled && verdict.Score >= s.MinScore;
        if (flagged)
        {
            found.Add(Finding(verdict, at, ramping ? -1 : days, peer, factor) with { BranchSurge = _kind == EntityKind.User ? surge : 1 });
            foreach (var f in verdict.Features.Where(f => f.Drifting)) _history.Drift[f.Feature] = 0; // one alert per build-up
        }
        if (!ramping) _history.Add(working, x); // its own history starts when it reads at its own pace, not during its first weeks
        output.Windows.Add(new ClosedWindow(_entityId, groups, _window.Day, x, !flagged && _window.Reports >= MinPeerReports));
    }

    /// <summary>
    /// The hour view before the hour is over: the reads so far already meet every test of <see cref="JudgeHours"/> (a count
    /// only grows), so the hour is flagged at this read, once; its final count follows when the hour is scored.
    /// </summary>
    private void JudgeRunningHour(in EventContext c, List<Finding> found, int? createdDay)
    {
        var s = _context.Settings.Behaviour;
        var minReads = _kind == EntityKind.User ? s.HourlyMinReads : s.HourlyMinReads * 5;
        var local = c.Local.ToDateTimeUnspecified();
        var hourKey = local.Ticks / TimeSpan.TicksPerHour;
        if (!s.Enabled || !s.Hourly || hourKey == _earlyHour || _hourly!.HoursSeen < 24 * s.MinHistoryDays) return;
        var (start, count, expectedRaw) = _hourly.Running(local);
        if (count < minReads || double.IsNaN(expectedRaw)) return;
        var day = Findings.DayNumber(c.Day);
        if (Ramping(day, createdDay)) return;
        var peers = _peerByDay.GetValueOrDefault(day, (1, 1)).Factor;
        var expected = Math.Max(expectedRaw, 1) * peers;
        var ratio = count / (expected * s.HourlyFactor);
        var z = Tails.PoissonZ(count, expected * 1.5);
        if (ratio < 1 || z < s.HourlyDeviation) return;
        _earlyHour = hourKey;
        var score = (int)Math.Min(99, 50 + 25 * Math.Log2(ratio));
        var ci = CultureInfo.InvariantCulture;
        var text = Phrase.Of("BEHAVIOUR_OUTLIER.running", Label, count, local.ToString("HH:mm", ci), start.ToString("yyyy-MM-dd HH:mm", ci), start.AddHours(1).ToString("HH:mm", ci),
            expectedRaw.ToString("0.#", ci), peers > 1 ? Phrase.Of("behaviour.hourPeers", expected.ToString("0.#", ci), peers.ToString("0.0#", ci)) : Phrase.Empty, z.ToString("0.0", ci));
        found.Add(new Finding(RuleIds.BehaviourOutlier, _kind, _entityId, _userId ?? (_kind == EntityKind.User ? c.Event.UserId : null), c.Event.BranchId,
            score >= 80 ? Severity.High : Severity.Medium, c.Event.OccurredAt, c.Event.EventId, text)
        {
            Period = start.ToString("yyyy-MM-dd", ci),
            Magnitude = Math.Clamp((score - 50) / 49.0, 0, 1),
            BranchSurge = _kind == EntityKind.User ? c.Event.BranchSurge : 1,
        });
    }

    /// <summary>The hour view: an hour far above what the series expected for it, by the Poisson tail, the factor and a floor of reads.</summary>
    private void JudgeHours(DateTimeOffset at, List<Finding> found, int? createdDay)
    {
        if (_hours.Count == 0) return;
        var s = _context.Settings.Behaviour;
        if (!s.Enabled || !s.Hourly || _hourly!.HoursSeen < 24 * s.MinHistoryDays)
        {
            _hours.Clear(); // switched off since (a settings reload), or still learning the entity's hours
            return;
        }
        var minReads = _kind == EntityKind.User ? s.HourlyMinReads : s.HourlyMinReads * 5;
        foreach (var h in _hours)
        {
            if (h.Count < minReads || double.IsNaN(h.Expected)) continue;
            var day = Findings.DayNumber(NodaTime.LocalDate.FromDateTime(h.Start));
            if (Ramping(day, createdDay)) continue; // a new account: its own hours say nothing yet
            // The hour's expectation scales with how busy the entity's peers were that day (a quarter-end afternoon).
            var (peers, surge) = _peerByDay.GetValueOrDefault(day, (1, 1));
            var expected = Math.Max(h.Expected, 1) * peers;
            var ratio = h.Count / (expected * s.HourlyFactor);
            // Hour counts vary more than Poisson (busy days): the tail is taken at half as much again as expected.
            var z = Tails.PoissonZ(h.Count, expected * 1.5);
            if (ratio < 1 || z < s.HourlyDeviation) continue;
            var score = (int)Math.Min(99, 50 + 25 * Math.Log2(ratio));
            var severity = score >= 80 ? Severity.High : Severity.Medium;
            var ci = CultureInfo.InvariantCulture;
            var hour = Phrase.Concat(Phrase.Of("behaviour.hour", h.Count, h.Start.ToString("yyyy-MM-dd HH:mm", ci), h.Start.AddHours(1).ToString("HH:mm", ci), h.Expected.ToString("0.#", ci)),
                peers > 1 ? Phrase.Of("behaviour.hourPeers", expected.ToString("0.#", ci), peers.ToString("0.0#", ci)) : Phrase.Empty);
            var text = Phrase.Of("BEHAVIOUR_OUTLIER.hour", Label, hour, z.ToString("0.0", ci), h.Score.ToString("0.000", ci));
            if (day > _closedThrough) _flaggedHours.Add((day, hour));
            found.Add(new Finding(RuleIds.BehaviourOutlier, _kind, _entityId, _userId, _branchId, severity, at, _window.LastEventId ?? "", text)
            {
                Period = h.Start.ToString("yyyy-MM-dd", ci),
                Magnitude = Math.Clamp((score - 50) / 49.0, 0, 1),
                BranchSurge = _kind == EntityKind.User ? surge : 1,
            });
        }
        _hours.Clear();
    }

    /// <summary>The day window's finding; <paramref name="historyDays"/> is -1 for a new account ramping up (judged by its peers only).</summary>
    private Finding Finding(BehaviourVerdict v, DateTimeOffset at, int historyDays, (string Group, PeerModel Model)? peer, double factor)
    {
        var score = v.Score;
        var severity = score >= 80 ? Severity.Critical : score >= 60 ? Severity.High : score >= 40 ? Severity.Medium : Severity.Low;
        var bandLow = severity switch { Severity.Critical => 80, Severity.High => 60, Severity.Medium => 40, _ => 20 };
        return new Finding(RuleIds.BehaviourOutlier, _kind, _entityId, _userId, _branchId, severity, at, _window.LastEventId, Explain(v, historyDays, peer, factor))
        {
            Period = _window.DayKey,
            Magnitude = Math.Clamp((score - bandLow) / 19.0, 0, 1),
        };
    }

    /// <summary>"user U1" or "branch B1".</summary>
    private Phrase Label => Phrase.Of(_kind == EntityKind.User ? "label.user" : "label.branch", _entityId);

    private Phrase Explain(BehaviourVerdict v, int historyDays, (string Group, PeerModel Model)? peer, double factor)
    {
        var ci = CultureInfo.InvariantCulture;
        var from = v.Own >= v.Peer || v.Drift >= v.Peer ? (v.Drift > v.Own ? "behaviour.fromOwnBuildingUp" : "behaviour.fromOwn") : "behaviour.fromPeers";
        var peerName = peer is { } p ? PeerName(p.Group) : null;
        var shown = v.Features.Where(f => f.Weight >= 0.33).Take(3).ToList();
        if (shown.Count == 0) shown = v.Features.Take(1).ToList();
        var hours = _flaggedHours.Where(h => h.Day == _window.Day).Select(h => (object)h.Text).ToList();
        var busy = factor > 1
            ? Phrase.Of(_kind == EntityKind.User ? "behaviour.busyUser" : "behaviour.busyBranch", _window.Reports, (_window.Reports / factor).ToString("0", ci), factor.ToString("0.0#", ci))
            : Phrase.Empty;
        return Phrase.Of("BEHAVIOUR_OUTLIER.day", Label, _window.DayKey, Phrase.Of(from), Phrase.Join("sep.semicolon", shown.Select(f => Describe(f, peerName))),
            v.Score, v.Own.ToString("0.00", ci), v.Drift.ToString("0.00", ci), v.Peer.ToString("0.00", ci),
            historyDays < 0 ? Phrase.Of("behaviour.ramping") : historyDays > 0 ? Phrase.Of("behaviour.history", historyDays) : Phrase.Of("behaviour.noHistory"),
            peer is { } m ? Phrase.Of("behaviour.model", m.Model.Version, m.Model.Members) : Phrase.Of("behaviour.noModel"),
            Phrase.Concat(busy, hours.Count > 0 ? Phrase.Of("behaviour.hourView", Phrase.Join("sep.semicolon", hours)) : Phrase.Empty));
    }

    private static Phrase Describe(FeatureEvidence f, Phrase? peerName)
    {
        var ci = CultureInfo.InvariantCulture;
        string Value(double v) => f.Feature == Queries ? Math.Round(Math.Exp(v) - 1).ToString("0", ci) : IsShare(f.Feature) ? Findings.Pct(v) : v.ToString("0.#", ci);
        var parts = new List<object> { Phrase.Of("behaviour.value", Phrase.Of("feature." + f.Feature.ToString(ci)), Value(f.Observed)) };
        if (f.Usual is { } u) parts.Add(Phrase.Of("behaviour.usual", Value(u)));
        if (f.PeerMedian is { } m && peerName is not null) parts.Add(Phrase.Of(f.Usual is null ? "behaviour.peerMedian" : "behaviour.andPeerMedian", peerName, Value(m)));
        if (f.Drifting) parts.Add(Phrase.Of("behaviour.drifting"));
        return Phrase.Concat([.. parts]);
    }

    private static Phrase PeerName(string group)
    {
        if (group.StartsWith("b:", StringComparison.Ordinal)) return Phrase.Of(group == "b:*" ? "peer.allBranches" : "peer.siblings");
        var parts = group.Split(':');
        return parts[1] == "*" ? Phrase.Of("peer.bankWide", parts[2]) : Phrase.Of("peer.branch", parts[1], parts[2]);
    }
}
