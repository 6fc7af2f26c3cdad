using System.Text.Json;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>
/// The four entity monitors save their parts in a fixed order: restored mid-stream, they go on exactly as
/// the monitor that never stopped, and a damaged or foreign snapshot is refused as a format error.
/// </summary>
public sealed class MonitorStateTests
{
    // Standing conditions (SHARED_ACCOUNT's accounts per person, ROLE_CONFLICT) repeat daily here, so that the days after
    // a restart raise them again and the comparison has something to compare (they repeat weekly by default).
    private readonly DetectorContext _context = new(new Settings.DetectionSettings
    {
        RoleConflict = new Settings.RoleConflictSettings { RepeatDays = 1 },
        SharedAccount = new Settings.SharedAccountSettings { RepeatDays = 1 },
    });

    private static string Json(DetectionOutput o) => JsonSerializer.Serialize(new { o.Alerts, o.Commands });

    /// <summary>Feeds <paramref name="events"/> to a monitor restarted before event <paramref name="cut"/> and to one never restarted; asserts both said the same and returns it.</summary>
    private static DetectionOutput Twins(Func<IEntityMonitor> make, IReadOnlyList<QueryLogEvent> events, int cut)
    {
        var steady = make();
        var restarted = make();
        DetectionOutput a = new(), b = new();
        var atCut = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (i == cut)
            {
                restarted = Restart.Into(restarted, make());
                atCut = b.Alerts.Count;
            }
            steady.Process(events[i], a);
            restarted.Process(events[i], b);
        }
        Assert.True(b.Alerts.Count > atCut, "the stream must raise alerts after the restart, or the comparison proves little");
        Assert.Equal(Json(a), Json(b));
        Assert.Empty(StateComparer.Differences(steady, restarted, typeof(DetectorContext)));
        return b;
    }

    private static QueryLogEvent Read(string subject, DateTimeOffset at, string user = "Q1", string branch = "SB0101", Purpose purpose = Purpose.LoanApproval) =>
        Ev.Query(user, at, branch, purpose) with { SubjectId = subject };

    [Fact]
    public void User_monitor_restored_mid_day_continues_the_volume_spike_with_the_whole_days_count()
    {
        var day = Enumerable.Range(0, 400).Select(i => Ev.Query(at: Ev.At(2026, 3, 3, 9).AddSeconds(i * 20))).Append(Ev.Query(at: Ev.At(2026, 3, 5, 9))).ToList();
        var output = Twins(() => new UserMonitor("Q440100", _context), day, 200);
        var spike = output.Alerts.Where(a => a.Rule == RuleIds.VolumeSpike && a.EntityType == "user" && a.Day == "2026-03-03").ToList();
        Assert.Equal(250, spike[^1].Count);
        Assert.Equal(Enumerable.Range(1, spike.Count), spike.Select(a => a.Revision));
    }

    [Fact]
    public void User_monitor_restored_goes_on_as_the_one_that_never_stopped()
    {
        var t = Ev.At(2026, 3, 2, 9);
        var events = new List<QueryLogEvent>
        {
            Ev.Account("Q1", AccountAction.Created, Ev.At(2025, 12, 1, 9)),
        };
        for (var d = 0; d < 10; d++)
        {
            events.AddRange(Enumerable.Range(0, 20).Select(i => Read($"s{d}-{i % 12}", t.AddDays(d).AddMinutes(7 * i))));
            events.Add(Ev.Query("Q1", t.AddDays(d).AddHours(2)) with { TerminalId = d % 2 == 0 ? "T-A" : "T-B", AuthorizationId = null });
            events.Add(Ev.Query("Q1", t.AddDays(d).AddHours(14), purpose: Purpose.PostLoanManagement));
        }
        Twins(() => new UserMonitor("Q1", _context), events, events.Count / 2);
    }

    [Fact]
    public void Branch_monitor_restored_goes_on_as_the_one_that_never_stopped()
    {
        var events = new List<QueryLogEvent>();
        for (var d = 0; d < 22; d++)
        {
            var day = Ev.At(2026, 3, 2, 9).AddDays(d);
            for (var i = 0; i < 6; i++)
            {
                events.Add(Read($"c{d}-{i}", day.AddMinutes(i), "Q1"));
                if (d > 0) events.Add(Read($"c{d - 1}-{i}", day.AddMinutes(30 + i), "Q2", purpose: Purpose.PostLoanManagement));
            }
            for (var j = 0; j < (d % 3 == 0 ? 12 : 3); j++)
                events.Add(Ev.Query($"Q{5 + j % 4}", day.AddMinutes(50).AddSeconds(10 * j)) with { Type = EventType.Login, Outcome = Outcome.Failed, TerminalId = "T-9" });
        }
        var at = Ev.At(2026, 3, 24, 10);
        events.AddRange(Enumerable.Range(0, 5).Select(i => Read($"new{i}", at.AddMinutes(i), "Q3", purpose: Purpose.PostLoanManagement)));
        events.AddRange(Enumerable.Range(0, 300).Select(i => Ev.Query("Q4", at.AddSeconds(30 * i))));
        var context = new DetectorContext(new Settings.DetectionSettings { Volume = new Settings.VolumeThresholds { BranchDaily = 100 } });
        var output = Twins(() => new BranchMonitor("SB0101", context), events, events.Count - 200);
        Assert.Contains(output.Alerts, a => a.Rule == RuleIds.PostLoanAbuse);
        Assert.Contains(output.Alerts, a => a.Rule == RuleIds.LoginFailures && a.EntityType == "terminal");
        Assert.Contains(output.Alerts, a => a.Rule == RuleIds.VolumeSpike && a.EntityType == "branch" && a.Revision > 1);
    }

    [Fact]
    public void Employee_monitor_restored_goes_on_as_the_one_that_never_stopped()
    {
        var admin = Ev.Query("UA9", Ev.At(2026, 3, 2, 8), role: UserRole.UserAdmin) with { Type = EventType.Login, EmployeeId = "E9" };
        var events = new List<QueryLogEvent> { admin };
        for (var d = 0; d < 4; d++)
        {
            events.Add(Ev.Query("Q1", Ev.At(2026, 3, 2, 9).AddDays(d)) with { EmployeeId = "E9" });
            events.Add(Ev.Query("Q2", Ev.At(2026, 3, 2, 10).AddDays(d)) with { EmployeeId = "E9" });
        }
        var output = Twins(() => new EmployeeMonitor("E9", _context), events, 4);
        Assert.Contains(output.Alerts, a => a.Rule == RuleIds.SharedAccount && a.Day == "2026-03-05");
    }

    [Fact]
    public void Subject_monitor_restored_goes_on_as_the_one_that_never_stopped()
    {
        var t = Ev.At(2026, 3, 2, 10);
        var events = new List<QueryLogEvent>();
        for (var d = 0; d < 3; d++)
            for (var u = 1; u <= 5; u++)
                events.Add(Read($"s{d % 2}", t.AddDays(d).AddMinutes(10 * u), $"Q{u}", $"SB0{u}"));
        var output = Twins(() => new SubjectMonitor(_context), events, 7);
        Assert.Contains(output.Alerts, a => a.Rule == RuleIds.RepeatedSubject && a.EntityId == "s1");
    }

    [Fact]
    public void A_monitor_snapshot_cut_short_is_refused_as_a_format_error()
    {
        var monitor = new EmployeeMonitor("E9", _context);
        var output = new DetectionOutput();
        monitor.Process(Ev.Query("UA9", Ev.At(2026, 3, 2, 8), role: UserRole.UserAdmin) with { EmployeeId = "E9" }, output);
        monitor.Process(Ev.Query("Q1", Ev.At(2026, 3, 2, 9)) with { EmployeeId = "E9" }, output);
        Assert.NotEmpty(output.Alerts);
        Restart.EveryCutIsRefused(Restart.Bytes(monitor), () => new EmployeeMonitor("E9", _context));
    }

    [Fact]
    public void A_snapshot_of_another_kind_of_monitor_is_refused_by_its_tag()
    {
        var employee = new EmployeeMonitor("E9", _context);
        employee.Process(Ev.Query("Q1") with { EmployeeId = "E9" }, new DetectionOutput());
        var thrown = Assert.Throws<StateFormatException>(() => Restart.Load(new UserMonitor("Q1", _context), Restart.Bytes(employee)));
        Assert.Contains("expected the state of UserMonitor, found EmployeeMonitor", thrown.Message);
    }
}
