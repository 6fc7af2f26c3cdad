namespace Monitor.Store;

/// <summary>
/// Which branches a branch officer's key covers: its own and every branch below it, down the tree the closed days
/// named (each branch with the one above it). Level-by-level verification (分级日核查) means a branch sees its
/// sub-branches' sheets, and a late one reaches it, but never a sibling's.
/// </summary>
public static class BranchScope
{
    public static IReadOnlySet<string> Below(string scope, IReadOnlyDictionary<string, string?> parents)
    {
        var children = parents.Where(p => p.Value is not null).ToLookup(p => p.Value!, p => p.Key);
        var covered = new HashSet<string>(StringComparer.Ordinal) { scope };
        var next = new Queue<string>([scope]);
        while (next.TryDequeue(out var branch))
            foreach (var child in children[branch])
                if (covered.Add(child)) next.Enqueue(child);
        return covered;
    }
}
