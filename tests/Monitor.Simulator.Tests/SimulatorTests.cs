using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Evaluation;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.Simulator.Tests;

public sealed class SimulatorTests
{
    private static readonly SimulationOptions ThreeWeeks = new() { Seed = 7, Days = 21, Incidents = IncidentKind.All.ToDictionary(k => k.Name, _ => 2) };
    private static readonly SimulationOptions TenWeeks = new()
    {
        Seed = 7, Days = 70, Feeds = true, Incidents = IncidentKind.All.Concat(IncidentKind.FeedKinds).ToDictionary(k => k.Name, _ => 1),
    };

    [Fact]
    public void Same_seed_gives_the_same_bank_and_events_and_another_seed_does_not()
    {
        var a = new BankSimulator(ThreeWeeks with { Days = 3 }).Events().Select(EventJson.Serialize).ToList();
        var b = new BankSimulator(ThreeWeeks with { Days = 3 }).Events().Select(EventJson.Serialize).ToList();
        var c = new BankSimulator(ThreeWeeks with { Days = 3, Seed = 8 }).Events().Select(EventJson.Serialize).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Simulated_bank_has_every_role_and_events_in_time_order()
    {
        var sim = new BankSimulator(ThreeWeeks with { Days = 7 });
        Assert.Equal(Enum.GetValues<UserRole>().ToHashSet(), sim.Bank.Users.Select(u => u.Role).ToHashSet());
        Assert.Contains(sim.Bank.Users, u => u.Channel == Channel.SelfServiceKiosk);
        var events = sim.Events().ToList();
        Assert.True(events.Zip(events.Skip(1)).All(p => p.Item1.OccurredAt <= p.Item2.OccurredAt));
        Assert.Contains(events, e => e.Type == EventType.Login);
        Assert.Contains(events, e => e.Action == AccountAction.PasswordChanged);
        Assert.All(events.Where(e => e.IsQuery && e.Purpose is { } p && Purposes.RequiresAuthorization(p) && !sim.Labels.Any(l => l.TouchedUsers.Contains(e.UserId))),
            e => Assert.True(e.AuthorizedAt < e.OccurredAt));
    }

    [Fact]
    public async Task Ten_weeks_with_the_register_and_hr_feeds_and_one_incident_of_every_kind_are_all_found_and_ordinary_users_stay_quiet()
    {
        var sim = new BankSimulator(TenWeeks);
        var events = sim.Events().ToList();
        await using var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 11, 1, 0)));
        var runner = new ReplayRunner(graph);
        var alerts = new List<Alert>();
        var commands = new List<PermissionCommand>();
        runner.BatchPublished += r =>
        {
            alerts.AddRange(r.Alerts);
            commands.AddRange(r.Commands);
        };
        await runner.RunAsync(new StringReader(string.Join('\n', events.Select(EventJson.Serialize))), TextWriter.Null, null, null);

        var report = Evaluator.Evaluate(alerts, commands, sim.Labels, Evaluator.CountUserDays(events));
        Assert.Equal(IncidentKind.All.Concat(IncidentKind.FeedKinds).Select(k => k.Name).Order(), report.Incidents.Select(i => i.Label.Kind).Order());
        Assert.Equal(RuleIds.All.Except([RuleIds.BehaviourOutlier]).Order(), report.Incidents.SelectMany(i => i.Label.ExpectedRules).Distinct().Order());
        Assert.True(report.AllDetected, report.Format());
        Assert.Empty(report.SuspensionMismatches);
        Assert.Equal(0, report.UntouchedUsersSuspended);
        Assert.True(report.FalseAlertsPerThousandUserDays < 1, report.Format());
        var touched = sim.Labels.SelectMany(l => l.TouchedUsers).ToHashSet();
        string[] feedRules = [RuleIds.RegisterMismatch, RuleIds.LeaverAccount, RuleIds.AdminGovernance];
        Assert.DoesNotContain(alerts, a => feedRules.Contains(a.Rule) && a.UserId is { } u && !touched.Contains(u));
        // Every rule explains itself in Chinese as well as in English (issue 17): each template found, none short of an argument.
        Assert.All(alerts, a =>
        {
            Assert.Equal(a.Explanation, a.Explanations!.En);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", a.Explanations.Zh);
            Assert.DoesNotContain(Monitor.Detectors.Texts.Catalog.UnrenderedMark, a.Explanations.Zh + a.Explanations.En);
        });
        Assert.All(commands, c => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", c.Reasons!.Zh + c.Notification!.Texts!.Zh.Subject));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void Every_feed_incident_finds_accounts_of_its_own_whatever_the_seed(int seed)
    {
        // Seed 3 once gave the password-reset incident a branch whose operators other incidents had all taken (a division by zero).
        var sim = new BankSimulator(new SimulationOptions { Seed = seed, Days = 45, Feeds = true, Incidents = IncidentKind.All.Concat(IncidentKind.FeedKinds).ToDictionary(k => k.Name, _ => 1) });

        Assert.True(sim.Events().Count() > 40_000); // every day generated, the incidents' days among them
        Assert.Equal(IncidentKind.FeedKinds.Select(k => k.Name).Order(), sim.Labels.Select(l => l.Kind).Where(k => IncidentKind.FeedKinds.Any(f => f.Name == k)).Order());
    }

    [Fact]
    public void The_feeds_register_nearly_every_read_that_needs_it_and_bring_joiners_leavers_and_a_transfer()
    {
        var sim = new BankSimulator(TenWeeks with { Days = 28 });
        var events = sim.Events().ToList();
        var needing = events.Count(e => e.IsQuery && e.Purpose is Purpose.LoanApproval or Purpose.CreditCardApproval);
        var entries = events.Count(e => e.Type == EventType.Register && e.Purpose is Purpose.LoanApproval or Purpose.CreditCardApproval);
        Assert.InRange(needing - entries, 1, 10); // a few reads of the incident left out on purpose
        Assert.Contains(events, e => e.StaffAction == StaffAction.Joined);
        Assert.Contains(events, e => e.StaffAction == StaffAction.Left);
        Assert.Contains(events, e => e.StaffAction == StaffAction.Transferred);
        Assert.All(events.Where(e => e.Type == EventType.Employee), e => Assert.Equal("", e.UserId));

        var without = new BankSimulator(TenWeeks with { Days = 28, Feeds = false }).Events().ToList();
        Assert.DoesNotContain(without, e => e.Type is EventType.Register or EventType.Employee);
        Assert.Equal(new BankSimulator(ThreeWeeks with { Days = 28 }).Events().Count(), new BankSimulator(ThreeWeeks with { Days = 28, Feeds = false }).Events().Count());
    }
}
