namespace Monitor.Actors.State;

/// <summary>
/// Save your state under checkpoint <paramref name="Id"/>; <paramref name="Ledger"/> says which earlier checkpoints
/// count. An entity whose last save does not count (its checkpoint was abandoned) saves again even if untouched since.
/// </summary>
public sealed record SaveState(long Id, LedgerView Ledger)
{
    /// <summary>
    /// How long an entity with no new work may wait before it serializes its state (the state at the barrier either
    /// way: it serializes before its next change). Zero: at once. A live checkpoint spreads the entities' serializing
    /// over this time instead of stalling the next batches behind all of them at once.
    /// </summary>
    public TimeSpan Spread { get; init; }
}

/// <summary>An entity had nothing new to save under a checkpoint (or could not serialize its state: <paramref name="Error"/>).</summary>
public sealed record StateSaved(long Id, string EntityId, string? Error = null)
{
    /// <summary>
    /// The entity no longer holds the state the leading node gave it in this term (cluster mode: its shard moved or its
    /// node stopped): no checkpoint of this term can commit, so the term ends rather than failing checkpoint after checkpoint.
    /// </summary>
    public bool Lost { get; init; }
}

/// <summary>An entity's snapshot for a checkpoint, for its region to write with the others.</summary>
public sealed record StateToWrite(long Id, string EntityId, StateRow Row);

/// <summary>The region wrote an entity's snapshot for checkpoint <paramref name="Id"/> (or did not: <paramref name="Error"/>).</summary>
public sealed record StateWritten(long Id, string? Error = null);

/// <summary>A batch of a region's snapshots was written (or refused).</summary>
internal sealed record BatchWritten(long Id, List<string> Entities, string? Error);

/// <summary>A region saved every entity touched since the last checkpoint; <paramref name="Failed"/> names why one failed.</summary>
public sealed record RegionSaved(long Id, int Saved, string? Failed = null)
{
    /// <summary>An entity answered that it lost this term's state (<see cref="StateSaved.Lost"/>).</summary>
    public bool Lost { get; init; }
}

/// <summary>
/// A region has asked every entity touched since the last checkpoint to save under checkpoint <paramref name="Id"/>:
/// whatever it routes from now on reaches each entity after that request, so the state saved is the state at this
/// point of the stream, while the snapshots are still being written.
/// </summary>
public sealed record RegionSaving(long Id, int Entities);

/// <summary>Asks a region for checkpoint <paramref name="Id"/>'s <see cref="RegionSaved"/>, once its snapshots are written.</summary>
public sealed record SavedYet(long Id);

/// <summary>
/// Checkpoint <paramref name="Id"/> is committed (or, when <paramref name="Ok"/> is false, abandoned: whatever its
/// entities saved does not count, and a region still saving for it stops).
/// </summary>
public sealed record CheckpointDone(long Id, bool Ok)
{
    /// <summary>The ledger after it, for entities started from now on.</summary>
    public LedgerView? Ledger { get; init; }
}

/// <summary>An entity idle and saved asks its region to stop it.</summary>
public sealed record Passivate(string EntityId);

/// <summary>The coordinator's or the trainer's state as bytes, for the commit record.</summary>
public sealed record StateBytes(byte[] Bytes);

/// <summary>Asks the coordinator or the trainer for its state.</summary>
public sealed record GetState
{
    public static readonly GetState Instance = new();
}

/// <summary>How many entities a region holds in memory and how many it has ever started.</summary>
public sealed record RegionStats(int Live, long Started, long Passivated);

/// <summary>Asks a region for its <see cref="RegionStats"/>.</summary>
public sealed record GetRegionStats
{
    public static readonly GetRegionStats Instance = new();
}
