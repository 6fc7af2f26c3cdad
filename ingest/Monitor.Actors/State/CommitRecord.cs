using Monitor.Contracts.State;

namespace Monitor.Actors.State;

/// <summary>
/// The record that commits a checkpoint, written last: the ledger as of the commit, the next position per input
/// source, and the coordinator's and the model trainer's state. Its presence is what makes the entities'
/// snapshots saved under the same number count.
/// </summary>
public sealed record CommitRecord(CheckpointLedger Ledger, IReadOnlyDictionary<int, long> Positions, byte[] Coordinator, byte[] Trainer)
{
    public static byte[] Write(CheckpointLedger current, long id, IReadOnlyDictionary<int, long> positions, byte[] coordinator, byte[] trainer)
    {
        // The ledger as it will be once this record is in: a copy, so a failed write leaves the live one unchanged.
        var ledger = new CheckpointLedger();
        using (var w0 = new StateWriter())
        {
            current.Save(w0);
            using var r0 = StateReader.Open(w0.ToArray());
            ledger.Restore(r0);
        }
        ledger.Commit(id);
        using var w = new StateWriter();
        w.Section("CommitRecord");
        ledger.Save(w);
        w.Write(positions.OrderBy(p => p.Key).ToList(), static (w, k) => w.Write(k), static (w, v) => w.Write(v));
        w.Write(coordinator);
        w.Write(trainer);
        return w.ToArray();
    }

    public static CommitRecord Read(byte[] bytes)
    {
        using var r = StateReader.Open(bytes);
        r.Section("CommitRecord");
        var ledger = new CheckpointLedger();
        ledger.Restore(r);
        var positions = new Dictionary<int, long>();
        r.ReadInto(positions, static r => r.ReadInt(), static r => r.ReadLong());
        var coordinator = r.ReadBytes();
        var trainer = r.ReadBytes();
        r.End();
        return new CommitRecord(ledger, positions, coordinator, trainer);
    }
}
