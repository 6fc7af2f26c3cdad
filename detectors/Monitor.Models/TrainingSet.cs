using Monitor.Contracts.State;
namespace Monitor.Models;

/// <summary>
/// The windows training learns from, per peer group: only the last <c>days</c> days and at most
/// <c>maxRows</c> windows per group (the newest), so memory stays bounded however large the bank. Not
/// thread-safe: one owner adds windows and takes snapshots; training runs on a snapshot.
/// </summary>
public sealed class TrainingSet(int days = 28, int maxRows = 6000) : IDurableState
{
    // TRANSITIONAL (issue 14): the real Save/Restore replace these.
    public void Save(StateWriter w) => throw new NotSupportedException("not saved yet");

    public void Restore(StateReader r) => throw new NotSupportedException("not restored yet");

    private readonly Dictionary<string, Queue<ClosedWindow>> _groups = new(StringComparer.Ordinal);

    /// <summary>The newest window day seen.</summary>
    public int NewestDay { get; private set; } = int.MinValue;

    /// <summary>Windows added since the last snapshot.</summary>
    public int Added { get; private set; }

    public void Add(ClosedWindow w)
    {
        if (!w.Trainable) return;
        NewestDay = Math.Max(NewestDay, w.Day);
        Added++;
        foreach (var g in w.Groups)
        {
            if (!_groups.TryGetValue(g, out var q)) _groups[g] = q = new Queue<ClosedWindow>();
            q.Enqueue(w);
            while (q.Count > maxRows || (q.Count > 0 && q.Peek().Day <= NewestDay - days)) q.Dequeue();
        }
    }

    /// <summary>A copy of the rows per group, of windows up to <paramref name="throughDay"/>, for a training run off the owner's thread.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ClosedWindow>> Snapshot(int throughDay = int.MaxValue)
    {
        Added = 0;
        return _groups.ToDictionary(g => g.Key, g => (IReadOnlyList<ClosedWindow>)g.Value.Where(w => w.Day <= throughDay && w.Day > NewestDay - days).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Windows held, over all groups (a window in three groups counts three times).</summary>
    public int Rows => _groups.Values.Sum(q => q.Count);
}
