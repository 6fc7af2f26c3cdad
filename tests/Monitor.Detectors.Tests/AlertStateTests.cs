using System.Text.Json;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Rules;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>
/// An open alert's count and revision survive a restart (issue 14 part 8): the first revision after a restore
/// continues the one before it, and a day cut by a restart ends with the whole day's count.
/// </summary>
public sealed class AlertStateTests
{
    private readonly DetectorContext _context = DetectorContext.Default();

    private static Finding Found(DateTimeOffset at, Severity severity = Severity.High, string rule = RuleIds.VolumeSpike, string? period = null, double magnitude = 0.1) =>
        new(rule, EntityKind.User, "Q1", "Q1", "SB0101", severity, at, $"ev-{at.UtcTicks}-{rule}", Texts.Phrase.Literal($"{rule} at {at:o}")) { Period = period, Magnitude = magnitude };

    private static string DayOf(DateTimeOffset at) => at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Json(IEnumerable<Alert> alerts) => JsonSerializer.Serialize(alerts);

    [Fact]
    public void Alert_book_keeps_open_and_closed_alerts_with_their_counts_and_revisions()
    {
        var book = new AlertBook(_context);
        var t = Ev.At(2026, 3, 3, 9);
        var before = new List<Alert>();
        for (var i = 0; i < 6; i++) Add(book, Found(t.AddMinutes(i), magnitude: 0.1 * i), before);
        Add(book, Found(t.AddMinutes(7), Severity.Critical), before);
        Add(book, Found(t.AddMinutes(8), rule: RuleIds.OffHours, severity: Severity.Medium), before);
        Add(book, Found(t.AddMinutes(9), period: "2026-03"), before);
        book.AdvanceTo(Ev.At(2026, 3, 5, 12), TimeSpan.FromHours(1), _context.Policies.For("SB0101", null).Zone, before); // closes 2026-03-03
        Add(book, Found(Ev.At(2026, 3, 5, 12)), before);

        var restored = Restart.Into(book, new AlertBook(_context));
        List<Alert> a = [], b = [];
        foreach (var (x, into) in new[] { (book, a), (restored, b) })
        {
            Add(x, Found(t.AddMinutes(30)), into); // late for the closed day: the same alert continues
            Add(x, Found(Ev.At(2026, 3, 5, 13)), into);
            Add(x, Found(t.AddMinutes(40), period: "2026-03"), into);
            x.AdvanceTo(Ev.At(2026, 3, 8, 12), TimeSpan.FromHours(1), _context.Policies.For("SB0101", null).Zone, into);
        }
        Assert.Equal(Json(a), Json(b));
        foreach (var alert in b.GroupBy(x => x.AlertId))
        {
            var earlier = before.Where(x => x.AlertId == alert.Key).Select(x => x.Revision).DefaultIfEmpty(0).Max();
            Assert.Equal(Enumerable.Range(earlier + 1, alert.Count()), alert.Select(x => x.Revision)); // no revision published twice
        }
        var lateDay = b.Where(x => x.Day == "2026-03-03" && x.Rule == RuleIds.VolumeSpike && x.Count > 2).ToList();
        Assert.Equal((5, 8), (lateDay.Single().Revision, lateDay.Single().Count)); // revisions 1-4 at counts 1, 2, 4 and the critical 7th
    }

    private static void Add(AlertBook book, Finding f, List<Alert> into)
    {
        if (book.Apply(f, DayOf(f.EventTime)) is { } alert) into.Add(alert);
    }

    /// <summary>One user's daily VOLUME_SPIKE as UserMonitor computes it, from the parts this branch owns, restarted before event <paramref name="cut"/>.</summary>
    private List<Alert> VolumeDay(IReadOnlyList<QueryLogEvent> events, int? cut)
    {
        var volume = new VolumeCounter();
        var publisher = new FindingPublisher(_context);
        var output = new DetectionOutput();
        for (var i = 0; i < events.Count; i++)
        {
            if (i == cut)
            {
                volume = Restart.Into(volume, new VolumeCounter());
                publisher = Restart.Into(publisher, new FindingPublisher(_context));
            }
            var e = events[i];
            var c = publisher.Begin(e, output);
            var v = c.Policy.Volume;
            volume.Count(c, EntityKind.User, e.UserId, v.UserDaily, v.UserMonthly, Texts.Phrase.Of("label.user", e.UserId), publisher.Findings);
            publisher.Publish(c, output);
        }
        return output.Alerts;
    }

    [Fact]
    public void Volume_spike_cut_by_a_restart_mid_day_ends_with_the_whole_days_count_and_continuous_revisions()
    {
        var day = Enumerable.Range(0, 400).Select(i => Ev.Query(at: Ev.At(2026, 3, 3, 9).AddSeconds(i * 20))).Append(Ev.Query(at: Ev.At(2026, 3, 5, 9))).ToList();
        var cut = VolumeDay(day, 200); // 50 findings before the restart (revisions 1..6 at counts 1, 2, 4, ..., 32), 200 after
        var spike = cut.Where(a => a.Rule == RuleIds.VolumeSpike && a.Day == "2026-03-03").ToList();
        Assert.Equal(250, spike[^1].Count);
        Assert.Contains("queried 400 credit reports", spike[^1].Explanation);
        Assert.Equal(Enumerable.Range(1, spike.Count), spike.Select(a => a.Revision)); // 1, 2, 3, ...: no revision 1 twice
        Assert.Equal(Json(VolumeDay(day, null)), Json(cut));
    }

    [Fact]
    public void Publisher_between_events_holds_no_findings_and_restores_its_book()
    {
        var publisher = new FindingPublisher(_context);
        var output = new DetectionOutput();
        var e = Ev.Query();
        var c = publisher.Begin(e, output);
        publisher.Findings.Add(Found(e.OccurredAt, Severity.Medium, RuleIds.OffHours));
        publisher.Publish(c, output);
        Assert.Empty(publisher.Findings);
        var restored = Restart.Into(publisher, new FindingPublisher(_context));
        var next = Ev.Query(at: Ev.At(2026, 3, 2, 11));
        var outputs = new[] { new DetectionOutput(), new DetectionOutput() };
        foreach (var (p, o) in new[] { (publisher, outputs[0]), (restored, outputs[1]) })
        {
            var cn = p.Begin(next, o);
            p.Findings.Add(Found(next.OccurredAt, Severity.Medium, RuleIds.OffHours));
            p.Publish(cn, o);
        }
        Assert.Equal(Json(outputs[0].Alerts), Json(outputs[1].Alerts));
        Assert.Equal((2, 2), (outputs[1].Alerts.Single().Count, outputs[1].Alerts.Single().Revision));
    }

    [Fact]
    public void An_alert_book_snapshot_cut_short_is_refused_as_a_format_error()
    {
        var book = new AlertBook(_context);
        var t = Ev.At(2026, 3, 3, 9);
        for (var i = 0; i < 3; i++) book.Apply(Found(t.AddMinutes(i), i == 2 ? Severity.Critical : Severity.High), "2026-03-03");
        Restart.EveryCutIsRefused(Restart.Bytes(book), () => new AlertBook(_context));
    }
}
