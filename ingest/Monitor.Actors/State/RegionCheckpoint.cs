namespace Monitor.Actors.State;

/// <summary>
/// One checkpoint as a region runs it: which of its entities still have to give their state, the snapshots
/// waiting to be written, and what was written. Every entity is asked at once (so each saves its state at the same
/// point of the stream, before anything the region routes later), and the snapshots are written in batches of
/// <see cref="BatchRows"/> in one transaction each, one batch at a time. Until written, a checkpoint holds the bytes
/// of the entities touched since the last one (some 14 KB a user). Pure: the region tells and writes what it says.
/// </summary>
public sealed class RegionCheckpoint
{
    /// <summary>Snapshots written in one transaction.</summary>
    public const int BatchRows = 256;

    private readonly string[] _order;
    private readonly HashSet<string> _targets;
    private readonly List<StateRow> _rows = [];
    private readonly List<string> _rowEntities = [];
    private bool _asked;
    private int _answered;

    public RegionCheckpoint(SaveState request, IEnumerable<string> entities)
    {
        Request = request;
        _order = [.. entities];
        _targets = new HashSet<string>(_order, StringComparer.Ordinal);
    }

    public SaveState Request { get; }

    /// <summary>The entities this checkpoint saves.</summary>
    public IReadOnlyCollection<string> Targets => _targets;

    /// <summary>Entities whose snapshot is written.</summary>
    public List<string> Saved { get; } = [];

    /// <summary>The first failure: an entity that could not serialize, or a batch the store refused.</summary>
    public string? Failed { get; private set; }

    /// <summary>An entity answered that it lost this term's state (cluster mode, <see cref="StateSaved.Lost"/>).</summary>
    public bool Lost { get; private set; }

    /// <summary>Entities whose snapshot was taken and waits for a batch: once the checkpoint failed or was abandoned, never to be written.</summary>
    public IReadOnlyList<string> Unwritten => _rowEntities;

    /// <summary>Whether a batch is being written.</summary>
    public bool Writing { get; private set; }

    /// <summary>Every entity answered and every batch was written (or the checkpoint failed and nothing is in flight).</summary>
    public bool Finished => !Writing && _answered == _targets.Count && (Failed is not null || _rows.Count == 0);

    /// <summary>The entities to ask: all of them (in the order given), the first time; none after.</summary>
    public IReadOnlyList<string> ToAsk()
    {
        if (_asked) return [];
        _asked = true;
        return _order;
    }

    /// <summary>An entity gave its snapshot (<paramref name="row"/>), had nothing new (null), or failed (<paramref name="error"/>).</summary>
    public void Answered(string entityId, StateRow? row, string? error, bool lost = false)
    {
        _answered++;
        Lost |= lost;
        if (error is not null) Failed ??= $"{entityId}: {error}";
        else if (row is null) Saved.Add(entityId);
        else
        {
            _rows.Add(row);
            _rowEntities.Add(entityId);
        }
    }

    /// <summary>The next batch to write, if one is due and none is being written: a full one, or the last.</summary>
    public (List<StateRow> Rows, List<string> Entities)? TakeBatch()
    {
        if (Writing || Failed is not null || _rows.Count == 0) return null;
        if (_rows.Count < BatchRows && _answered < _targets.Count) return null;
        var take = Math.Min(BatchRows, _rows.Count);
        var batch = (_rows.GetRange(0, take), _rowEntities.GetRange(0, take));
        _rows.RemoveRange(0, take);
        _rowEntities.RemoveRange(0, take);
        Writing = true;
        return batch;
    }

    /// <summary>A batch was written (or refused with <paramref name="error"/>).</summary>
    public void Written(IReadOnlyList<string> entities, string? error)
    {
        Writing = false;
        if (error is null) Saved.AddRange(entities);
        else Failed ??= $"the state store refused {entities.Count} snapshots: {error}";
    }
}
