using Monitor.Actors.State;
using Xunit;

namespace Monitor.Actors.Tests;

/// <summary>How a region paces a checkpoint: a few entities serializing at once, snapshots written in batches, bytes in memory bounded.</summary>
public sealed class RegionCheckpointTests
{
    private static readonly SaveState Request = new(7, LedgerView.Empty);

    private static RegionCheckpoint For(int entities) => new(Request, Enumerable.Range(0, entities).Select(i => $"u{i}"));

    private static StateRow Row(string id) => new($"user/{id}", 7, [1, 2, 3], 0);

    [Fact]
    public void A_small_checkpoint_is_written_in_one_batch_once_every_entity_answered()
    {
        var run = For(3);
        var asked = run.ToAsk();
        Assert.Equal(["u0", "u1", "u2"], asked);
        run.Answered("u0", Row("u0"), null);
        run.Answered("u1", null, null); // nothing new since its last save
        Assert.Null(run.TakeBatch()); // u2 still serializing
        run.Answered("u2", Row("u2"), null);
        var batch = run.TakeBatch()!.Value;
        Assert.Equal(["u0", "u2"], batch.Entities);
        Assert.False(run.Finished);
        run.Written(batch.Entities, null);
        Assert.True(run.Finished);
        Assert.Null(run.Failed);
        Assert.Equal(["u1", "u0", "u2"], run.Saved);
    }

    [Fact]
    public void A_large_checkpoint_asks_every_entity_at_once_and_writes_full_batches_one_at_a_time()
    {
        var run = For(10_000);
        var written = 0;
        var held = 0;
        var first = true;
        (List<StateRow> Rows, List<string> Entities)? writing = null;
        while (!run.Finished)
        {
            var asked = run.ToAsk();
            if (first) Assert.Equal(10_000, asked.Count); // the barrier: all asked before anything else reaches them
            first = false;
            foreach (var id in asked)
            {
                run.Answered(id, Row(id), null);
                held++;
            }
            if (writing is null && run.TakeBatch() is { } next)
            {
                Assert.Equal(Math.Min(RegionCheckpoint.BatchRows, held), next.Rows.Count);
                writing = next;
            }
            else if (writing is { } w)
            {
                Assert.Null(run.TakeBatch()); // one write at a time
                run.Written(w.Entities, null);
                written += w.Rows.Count;
                held -= w.Rows.Count;
                writing = null;
            }
            else Assert.Fail("no progress: nothing to ask, write or finish");
        }
        Assert.Equal(10_000, written);
        Assert.Equal(10_000, run.Saved.Count);
    }

    [Fact]
    public void A_refused_batch_fails_the_checkpoint_asks_no_one_else_and_names_the_snapshots_left_unwritten()
    {
        var run = For(RegionCheckpoint.BatchRows * 3);
        (List<StateRow> Rows, List<string> Entities)? full = null;
        while (full is null)
        {
            foreach (var id in run.ToAsk()) run.Answered(id, Row(id), null);
            full = run.TakeBatch();
        }
        var first = full.Value;
        Assert.Equal(RegionCheckpoint.BatchRows, first.Rows.Count);
        run.Written(first.Entities, "disk full");
        Assert.Contains("disk full", run.Failed);
        Assert.Empty(run.ToAsk());
        Assert.Null(run.TakeBatch());
        Assert.True(run.Finished);
        Assert.NotEmpty(run.Unwritten); // told their write will not come, so they can leave memory later
        Assert.Empty(run.Saved);
    }

    [Fact]
    public void An_entity_that_cannot_serialize_fails_the_checkpoint_once_the_others_answered()
    {
        var run = For(3);
        run.ToAsk();
        run.Answered("u0", null, "InvalidOperationException: boom");
        Assert.False(run.Finished); // u1 and u2 are still serializing: their answers must not find a new checkpoint's bookkeeping
        run.Answered("u1", Row("u1"), null);
        run.Answered("u2", null, null);
        Assert.True(run.Finished);
        Assert.StartsWith("u0: ", run.Failed);
        Assert.Equal(["u1"], run.Unwritten);
    }
}
