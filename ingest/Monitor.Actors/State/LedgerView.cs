namespace Monitor.Actors.State;

/// <summary>
/// An immutable copy of what a <see cref="CheckpointLedger"/> says about which snapshots count, handed to
/// entity actors (which load on their own threads) with each commit.
/// </summary>
public sealed record LedgerView(long Committed, IReadOnlyList<(long From, long To)> Aborted)
{
    public static readonly LedgerView Empty = new(0, []);

    public static LedgerView Of(CheckpointLedger ledger) => new(ledger.Committed, [.. ledger.Aborted]);

    /// <summary>Whether a snapshot saved under checkpoint <paramref name="id"/> may be loaded.</summary>
    public bool Counts(long id) => id <= Committed && !Aborted.Any(a => id > a.From && id <= a.To);

    /// <summary>The highest snapshot number to ask for next after finding <paramref name="found"/> unusable.</summary>
    public long Below(long found)
    {
        foreach (var (from, to) in Aborted)
            if (found > from && found <= to) return from;
        return Math.Min(found - 1, Committed);
    }
}

/// <summary>Where one entity keeps its state: the snapshot store, its persistence id, the ledger when it started.</summary>
public sealed record EntityStorage(Akka.Actor.IActorRef SnapshotStore, string PersistenceId, LedgerView Ledger, TimeSpan IdleAfter);
