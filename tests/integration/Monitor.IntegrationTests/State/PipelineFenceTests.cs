using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Detectors;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// A cluster node that lost the lead without hearing it yet (a long pause, a cut network) must not write detector
/// state over the new leader's: every lead term takes a new epoch, and the old term's checkpoint is refused, on
/// SQLite and on a real PostgreSQL, while the new term's commits.
/// </summary>
public sealed class PipelineFenceTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fence").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task On_SQLite_a_term_that_lost_the_lead_cannot_checkpoint_and_the_new_term_can() =>
        await OldTermIsFenced(Path.Combine(_dir, "monitor.db"));

    [Fact]
    public async Task On_PostgreSQL_a_term_that_lost_the_lead_cannot_checkpoint_and_the_new_term_can() =>
        await OldTermIsFenced(await postgres.NewDatabaseAsync());

    private static async Task OldTermIsFenced(string store)
    {
        var options = StateOptions.ForStore(store);
        var settings = DetectorContext.Default().Current;
        var clock = new FixedClock(Ev.At(2026, 3, 3, 0));

        var first = options with { Epoch = await PipelineEpoch.TakeAsync(options) };
        await using var old = await DetectionGraph.StartAsync(settings, clock, first);
        await old.ProcessAsync([new IngestedEvent(Ev.Query("Q1", Ev.Monday10), 0)]);
        await old.CheckpointAsync(new Dictionary<int, long> { [0] = 1 });
        Assert.Equal(1, old.Checkpoint);

        // Another node takes the lead: a new epoch. The old term goes on for a batch, then tries to checkpoint.
        var second = options with { Epoch = await PipelineEpoch.TakeAsync(options) };
        Assert.Equal(first.Epoch + 1, second.Epoch);
        await old.ProcessAsync([new IngestedEvent(Ev.Query("Q1", Ev.Monday10.AddMinutes(5)), 0)]);
        var refused = await Assert.ThrowsAsync<CheckpointFailedException>(() => old.CheckpointAsync(new Dictionary<int, long> { [0] = 2 }));
        Assert.Contains("another node leads the pipeline now", refused.Message);
        Assert.Equal(1, old.Checkpoint);

        // The new term starts from the last checkpoint that counts and commits its own.
        await using (var current = await DetectionGraph.StartAsync(settings, clock, second))
        {
            Assert.Equal(1, current.Checkpoint);
            Assert.Equal(1, current.Positions[0]);
            await current.ProcessAsync([new IngestedEvent(Ev.Query("Q1", Ev.Monday10.AddMinutes(5)), 0)]);
            await current.CheckpointAsync(new Dictionary<int, long> { [0] = 2 });
            Assert.True(current.Checkpoint > 1);
        }
        await using var after = await DetectionGraph.StartAsync(settings, clock, options);
        Assert.Equal(2, after.Positions[0]);
    }
}
