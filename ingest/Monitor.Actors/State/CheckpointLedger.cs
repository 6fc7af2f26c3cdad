using Monitor.Contracts.State;

namespace Monitor.Actors.State;

/// <summary>
/// Which checkpoints of the detector state count. A checkpoint is numbered; every entity touched since the last
/// one saves its snapshot under that number, and the checkpoint counts only once its commit record (this
/// ledger, with the consumed positions and the coordinator's state) is written, last. A checkpoint begun but not
/// committed (the process was killed in the middle) is <em>aborted</em>: snapshots saved under its number are
/// never loaded, and its number is never used again. Pure: the graph and the tests both use it.
/// </summary>
public sealed class CheckpointLedger : IDurableState
{
    private readonly List<(long From, long To)> _aborted = [];

    /// <summary>The last committed checkpoint; 0 before the first.</summary>
    public long Committed { get; private set; }

    /// <summary>The highest checkpoint number ever begun (committed or not).</summary>
    public long Begun { get; private set; }

    /// <summary>Ranges (exclusive start, inclusive end) of checkpoint numbers begun and never committed.</summary>
    public IReadOnlyList<(long From, long To)> Aborted => _aborted;

    /// <summary>Takes the number for the next checkpoint; it must be recorded as begun before any entity saves under it.</summary>
    public long Next() => Begun + 1;

    /// <summary>The number <paramref name="id"/> is recorded as begun (durably, before any entity saves under it).</summary>
    public void Begin(long id)
    {
        if (id <= Begun) throw new InvalidOperationException($"checkpoint {id} was already begun (highest {Begun})");
        Begun = id;
    }

    /// <summary>Checkpoint <paramref name="id"/> is committed; anything begun between the last commit and it is aborted.</summary>
    public void Commit(long id)
    {
        if (id > Committed + 1) Abort(Committed, id - 1);
        Committed = id;
        Begun = Math.Max(Begun, id);
    }

    /// <summary>After a restart: a checkpoint begun after the last commit was not finished.</summary>
    public void Recover(long begun)
    {
        Begun = Math.Max(Begun, begun);
        if (Begun > Committed) Abort(Committed, Begun);
    }

    /// <summary>Checkpoint <paramref name="id"/> failed in this process (the store refused a write); its number is never used again.</summary>
    public void Fail(long id)
    {
        Begun = Math.Max(Begun, id);
        Abort(id - 1, id);
    }

    /// <summary>An immutable copy for entity actors.</summary>
    public LedgerView View => LedgerView.Of(this);

    private void Abort(long from, long to)
    {
        if (to <= from) return;
        _aborted.Add((from, to));
        // Adjacent and overlapping ranges merge, so the list stays as short as the number of crashes.
        _aborted.Sort();
        for (var i = _aborted.Count - 1; i > 0; i--)
        {
            if (_aborted[i].From > _aborted[i - 1].To) continue;
            _aborted[i - 1] = (_aborted[i - 1].From, Math.Max(_aborted[i - 1].To, _aborted[i].To));
            _aborted.RemoveAt(i);
        }
    }

    public void Save(StateWriter w)
    {
        w.Section("CheckpointLedger");
        w.Write(Committed);
        w.Write(Begun);
        w.Write(_aborted, static (w, a) =>
        {
            w.Write(a.From);
            w.Write(a.To);
        });
    }

    public void Restore(StateReader r)
    {
        r.Section("CheckpointLedger");
        Committed = r.ReadLong();
        Begun = r.ReadLong();
        _aborted.Clear();
        _aborted.AddRange(r.ReadList(static r => (r.ReadLong(), r.ReadLong())));
    }
}
