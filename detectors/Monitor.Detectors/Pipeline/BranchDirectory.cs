using Monitor.Contracts.State;
namespace Monitor.Detectors.Pipeline;

/// <summary>
/// The branch hierarchy as the events reveal it (each event names its branch and that branch's parent), so
/// a query reaches its branch and every branch above it up to the head office without a configured tree.
/// </summary>
public sealed class BranchDirectory : IDurableState
{
    private const int MaxDepth = 8;
    private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);

    public void Learn(string branchId, string? parentBranchId)
    {
        if (parentBranchId is null || parentBranchId == branchId) return;
        _parents.TryAdd(branchId, parentBranchId);
    }

    /// <summary>Whether <paramref name="branchId"/> is <paramref name="ancestorId"/> or lies below it.</summary>
    public bool IsWithin(string branchId, string ancestorId)
    {
        var current = branchId;
        for (var depth = 0; depth <= MaxDepth; depth++)
        {
            if (current == ancestorId) return true;
            if (!_parents.TryGetValue(current, out var parent)) return false;
            current = parent;
        }
        return false;
    }

    /// <summary>The branch itself, then its ancestors, nearest first; a cycle in bad data stops the walk.</summary>
    public void Chain(string branchId, List<string> into)
    {
        into.Add(branchId);
        var current = branchId;
        for (var depth = 0; depth < MaxDepth && _parents.TryGetValue(current, out var parent); depth++)
        {
            if (into.Contains(parent)) break;
            into.Add(parent);
            current = parent;
        }
    }

    public void Save(StateWriter w)
    {
        w.Section("BranchDirectory");
        w.Write(_parents, static (w, k) => w.Write(k), static (w, v) => w.Write(v));
    }

    public void Restore(StateReader r)
    {
        r.Section("BranchDirectory");
        _parents.Clear();
        r.ReadInto(_parents, static r => r.ReadString(), static r => r.ReadString());
    }
}
