namespace Monitor.Actors.State;

/// <summary>
/// Save your state under checkpoint <paramref name="Id"/>; <paramref name="Ledger"/> says which earlier checkpoints
/// count. An entity whose last save does not count (its checkpoint was abandoned) saves again even if untouched since.
/// </summary>
public sealed record SaveState(long Id, LedgerView Ledger);

/// <summary>An entity saved its state under a checkpoint (or had nothing to save).</summary>
public sealed record StateSaved(long Id, string EntityId, string? Error = null);

/// <summary>A region saved every entity touched since the last checkpoint; <paramref name="Failed"/> names why one failed.</summary>
public sealed record RegionSaved(long Id, int Saved, string? Failed = null);

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
