using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Simulator;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

/// <summary>
/// Where the stream happens to be cut into batches (how much a poll returned, where a restart resumed) must not
/// change what the monitor publishes: days close and the models retrain at the same event whatever the batch.
/// </summary>
public sealed class BatchBoundaryTests
{
    private static readonly SimulationOptions FiveWeeks = new()
    {
        Seed = 11, Days = 35, Branches = 2, SubBranchesPerBranch = 2, OperatorsPerSubBranch = 4,
        Incidents = new Dictionary<string, int> { ["volume_spike"] = 2, ["post_loan_abuse"] = 1, ["branch_volume_spike"] = 1, ["repeat_ratio"] = 1, ["off_hours"] = 1 },
    };

    [Fact]
    public async Task A_replay_in_small_odd_batches_publishes_exactly_what_one_in_large_batches_does()
    {
        var lines = string.Join('\n', new BankSimulator(FiveWeeks).Events().Select(EventJson.Serialize));
        var large = await Replay(lines, batchSize: 4096);
        var small = await Replay(lines, batchSize: 97);
        Assert.Contains(large, l => l.Contains("\"BEHAVIOUR_OUTLIER\"", StringComparison.Ordinal));
        Assert.Contains(large, l => l.Contains("\"POST_LOAN_ABUSE\"", StringComparison.Ordinal));
        Assert.Equal(large.Count, small.Count);
        var differing = large.Zip(small, (a, b) => (First: a, Second: b)).Where(p => p.First != p.Second).Take(3).ToList();
        Assert.True(differing.Count == 0, string.Join("\n", differing.Select(d => $"4096: {d.First}\n  97: {d.Second}")));
    }

    /// <summary>Every alert revision published, sorted (batches publish in their own order; the set must be the same).</summary>
    private static async Task<List<string>> Replay(string lines, int batchSize)
    {
        await using var graph = DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Ev.At(2026, 12, 1, 0)));
        var alerts = new StringWriter();
        var commands = new StringWriter();
        await new ReplayRunner(graph, batchSize).RunAsync(new StringReader(lines), alerts, commands, null);
        return [.. (alerts + commands.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }
}
