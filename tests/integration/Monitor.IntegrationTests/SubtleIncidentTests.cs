using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Evaluation;
using Monitor.Ingest;
using Monitor.Simulator;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The behaviour models against the simulator's subtle incidents (issue 4's bar): six weeks of a bank with ten
/// shifts no rule names, replayed through the whole graph with training at each event day.
/// </summary>
public sealed class SubtleIncidentTests
{
    [Fact]
    public async Task Nine_in_ten_subtle_incidents_are_found_with_under_one_false_model_alert_per_thousand_user_days()
    {
        var sim = new BankSimulator(new SimulationOptions { Seed = 7, Days = 42, Incidents = IncidentKind.SubtleMix });
        var events = sim.Events().ToList();
        Assert.Equal(10, sim.Labels.Count);

        var alertsOut = new StringWriter();
        var commandsOut = new StringWriter();
        await using (var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 11, 1, 0))))
            await new ReplayRunner(graph).RunAsync(new StringReader(string.Join('\n', events.Select(EventJson.Serialize))), alertsOut, commandsOut, null);
        var alerts = Lines(alertsOut).Select(OutputJson.ParseAlert).ToList();
        var commands = Lines(commandsOut).Select(OutputJson.ParseCommand).ToList();

        var report = Evaluator.Evaluate(alerts, commands, sim.Labels, Evaluator.CountUserDays(events));
        Assert.True(report.Detected >= 9, report.Format());
        Assert.True(report.FalseModelAlertsPerThousandUserDays < 1, report.Format());
        Assert.Empty(commands); // behaviour alerts never suspend under the default policy
        // Every model alert says what moved, against what usual, as an officer reads it.
        Assert.All(alerts.Where(a => a.Rule == RuleIds.BehaviourOutlier), a => Assert.Matches(@"\d+%? vs \d+%? usual", a.Explanation));
    }

    private static IEnumerable<string> Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
