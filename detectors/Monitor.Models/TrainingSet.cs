using Monitor.Contracts.State;

namespace Monitor.Models;

/// <summary>
/// The windows training learns from, per peer group: only the last <c>days</c> days and at most
/// <c>maxRows</c> windows per group (the newest), so memory stays bounded however large the bank. Not
/// thread-safe: one owner adds windows and takes snapshots; training runs on a snapshot.
/// </summary>
public sealed class TrainingSet(int days = 28, int maxRows = 6000) : IDurableState
{
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

    /// <summary>
    /// A copy of the rows per group, of windows up to <paramref name="throughDay"/>, for a training run off the
    /// owner's thread; ordered by day and entity, not by arrival (entities close their days concurrently, and the
    /// randomized PCA's result depends on row order: the same windows must give the same model).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ClosedWindow>> Snapshot(int throughDay = int.MaxValue)
    {
        Added = 0;
        return _groups.ToDictionary(g => g.Key, g => (IReadOnlyList<ClosedWindow>)g.Value
            .Where(w => w.Day <= throughDay && w.Day > NewestDay - days)
            .OrderBy(w => w.Day).ThenBy(w => w.EntityId, StringComparer.Ordinal)
            .ToList(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The windows held, each once (a window sits in the queue of every group it belongs to: the queues are written
    /// as positions in that table, oldest first, so a restored set shares them the same way), then the newest day
    /// and the count since the last snapshot. The limits are the constructor's.
    /// </summary>
    public void Save(StateWriter w)
    {
        w.Section("TrainingSet");
        var index = new Dictionary<ClosedWindow, int>(ReferenceEqualityComparer.Instance);
        var table = new List<ClosedWindow>();
        foreach (var q in _groups.Values)
            foreach (var window in q)
                if (index.TryAdd(window, table.Count)) table.Add(window);
        w.Write(table, (w, x) =>
        {
            w.Write(x.EntityId);
            w.Write(x.Groups, (w, g) => w.Write(g));
            w.Write(x.Day);
            w.Write(x.Features.Length);
            foreach (var f in x.Features) w.Write(BitConverter.SingleToInt32Bits(f)); // a float's own bits: exact, half a double
            w.Write(x.Trainable);
        });
        w.Write(_groups, (w, g) => w.Write(g), (w, q) => w.Write(q, (w, x) => w.Write(index[x])));
        w.Write(NewestDay);
        w.Write(Added);
    }

    public void Restore(StateReader r)
    {
        r.Section("TrainingSet");
        var groups = new Dictionary<string, string[]>(StringComparer.Ordinal); // windows of one entity share one list of groups, as they did
        var table = r.ReadList(r =>
        {
            var entity = r.ReadString();
            var names = r.ReadList(r => r.ReadString()).ToArray();
            var key = string.Join('\n', names);
            if (!groups.TryGetValue(key, out var shared)) groups[key] = shared = names;
            var day = r.ReadInt();
            var n = r.ReadInt();
            if (n is < 0 or > 1024) throw new StateFormatException($"a window of {n} features cannot be right");
            var features = new float[n];
            for (var i = 0; i < n; i++) features[i] = BitConverter.Int32BitsToSingle(r.ReadInt());
            return new ClosedWindow(entity, shared, day, features, r.ReadBool());
        });
        _groups.Clear();
        r.ReadInto(_groups, r => r.ReadString(), r => new Queue<ClosedWindow>(r.ReadList(r =>
        {
            var at = r.ReadInt();
            if (at < 0 || at >= table.Count) throw new StateFormatException($"window {at} outside a table of {table.Count}");
            return table[at];
        })));
        NewestDay = r.ReadInt();
        Added = r.ReadInt();
    }

    /// <summary>Windows held, over all groups (a window in three groups counts three times).</summary>
    public int Rows => _groups.Values.Sum(q => q.Count);
}
