using Monitor.Actors.State;
using Monitor.Contracts.State;
using Xunit;

namespace Monitor.Actors.Tests;

public sealed class CheckpointLedgerTests
{
    [Fact]
    public void A_checkpoint_counts_only_once_committed()
    {
        var ledger = new CheckpointLedger();
        var id = ledger.Next();
        ledger.Begin(id);
        Assert.False(ledger.View.Counts(id));
        ledger.Commit(id);
        Assert.True(ledger.View.Counts(id));
    }

    [Fact]
    public void A_checkpoint_begun_before_a_crash_never_counts_and_its_number_is_not_reused()
    {
        var ledger = new CheckpointLedger();
        ledger.Begin(1);
        ledger.Commit(1);
        // The process saved entities under 2 and 3 and was killed before committing 3.
        var restarted = Restored(ledger);
        restarted.Recover(begun: 3);
        Assert.Equal(4, restarted.Next());
        restarted.Begin(4);
        restarted.Commit(4);
        var view = restarted.View;
        Assert.True(view.Counts(1));
        Assert.False(view.Counts(2));
        Assert.False(view.Counts(3));
        Assert.True(view.Counts(4));
        Assert.Equal(1, view.Below(3)); // an entity that finds its snapshot 3 asks for one at most 1
    }

    [Fact]
    public void A_failed_checkpoint_is_abandoned_and_the_next_one_counts()
    {
        var ledger = new CheckpointLedger();
        ledger.Begin(1);
        ledger.Commit(1);
        ledger.Begin(2);
        ledger.Fail(2);
        ledger.Begin(ledger.Next());
        ledger.Commit(3);
        Assert.False(ledger.View.Counts(2));
        Assert.True(ledger.View.Counts(3));
    }

    [Fact]
    public void Aborted_ranges_stay_few_after_many_crashes()
    {
        var ledger = new CheckpointLedger();
        for (var crash = 0; crash < 50; crash++)
        {
            ledger = Restored(ledger);
            ledger.Recover(ledger.Begun + 1); // each run begins one checkpoint and dies
        }
        Assert.Single(ledger.Aborted);
        Assert.Equal(0, ledger.Committed);
        Assert.False(ledger.View.Counts(25));
    }

    [Fact]
    public void The_commit_record_carries_ledger_positions_and_pipeline_state()
    {
        var ledger = new CheckpointLedger();
        ledger.Recover(begun: 2);
        ledger.Begin(3);
        var bytes = CommitRecord.Write(ledger, 3, new Dictionary<int, long> { [0] = 120, [3] = 7 }, [1, 2, 3], [9]);
        Assert.Equal(0, ledger.Committed); // writing the record does not commit the live ledger
        var record = CommitRecord.Read(bytes);
        Assert.Equal(3, record.Ledger.Committed);
        Assert.False(record.Ledger.View.Counts(2));
        Assert.Equal(120, record.Positions[0]);
        Assert.Equal(7, record.Positions[3]);
        Assert.Equal([1, 2, 3], record.Coordinator);
        Assert.Equal([9], record.Trainer);
    }

    [Fact]
    public void A_commit_record_cut_short_is_refused_as_a_format_error()
    {
        var bytes = CommitRecord.Write(new CheckpointLedger(), 1, new Dictionary<int, long>(), [1], [2]);
        Assert.Throws<StateFormatException>(() => CommitRecord.Read(bytes[..^3]));
    }

    private static CheckpointLedger Restored(CheckpointLedger ledger)
    {
        using var w = new StateWriter();
        ledger.Save(w);
        using var r = StateReader.Open(w.ToArray());
        var copy = new CheckpointLedger();
        copy.Restore(r);
        return copy;
    }
}
