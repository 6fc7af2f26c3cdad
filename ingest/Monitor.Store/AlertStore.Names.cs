using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>
/// The names of the bank's directory (<c>monitor import-names</c>, docs/operations.md): kept in the store, which every
/// node of a cluster shares, so one import names the branches, employees and account holders on every node's API at
/// once. An import adds and renames, in one transaction with its audit row; it removes nothing, since old alerts keep
/// naming a leaver or a merged branch.
/// </summary>
public sealed partial class AlertStore
{
    /// <summary>Takes <paramref name="names"/> (from the file <paramref name="source"/>) in one transaction: how many were new, renamed, and as they were.</summary>
    public async Task<NamesImported> ImportNamesAsync(IReadOnlyList<DirectoryName> names, string source, Actor actor)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            var now = Db.Time(_clock.GetUtcNow());
            int added = 0, renamed = 0;
            foreach (var n in names)
            {
                var before = (await Db.QueryAsync(c, tx, "SELECT name FROM names WHERE kind = @k AND id = @id", r => r.GetString(0), ("@k", n.Kind), ("@id", n.Id))).FirstOrDefault();
                if (before == n.Name) continue;
                await Db.ExecAsync(c, tx, "INSERT INTO names (kind, id, name, updated_at) VALUES (@k, @id, @n, @at) ON CONFLICT (kind, id) DO UPDATE SET name = @n, updated_at = @at",
                    ("@k", n.Kind), ("@id", n.Id), ("@n", n.Name), ("@at", now));
                if (before is null) added++;
                else renamed++;
            }
            var result = new NamesImported(names.Count, added, renamed, DirectoryName.Kinds.ToDictionary(k => k, k => names.Count(n => n.Kind == k)));
            await Audit(c, tx, now, actor, "names-import", source, null, result.Line);
            await tx.CommitAsync();
            return result;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Every branch's name (a bank has thousands of branches at most): the notifier's, read with the branch tree.</summary>
    public async Task<IReadOnlyDictionary<string, string>> BranchNamesAsync()
    {
        await using var c = await ConnectAsync();
        return (await Db.QueryAsync(c, null, "SELECT id, name FROM names WHERE kind = @kind", r => (r.GetString(0), r.GetString(1)), ("@kind", DirectoryName.Branch)))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>The names the directory has for these branches, employees and users (ids without a name are left out).</summary>
    public async Task<NameBook> NamesAsync(IEnumerable<string?> branches, IEnumerable<string?> users, IEnumerable<string?> employees)
    {
        await using var c = await ConnectAsync();
        async Task<IReadOnlyDictionary<string, string>> Of(string kind, IEnumerable<string?> ids)
        {
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (inList, args) in InLists([.. ids.OfType<string>()]))
                foreach (var (id, name) in await Db.QueryAsync(c, null, $"SELECT id, name FROM names WHERE kind = @kind AND id IN ({inList})",
                    r => (r.GetString(0), r.GetString(1)), [.. args, ("@kind", kind)]))
                    found[id] = name;
            return found;
        }
        return new NameBook(await Of(DirectoryName.Branch, branches), await Of(DirectoryName.User, users), await Of(DirectoryName.Employee, employees));
    }
}

/// <summary>What an import of names did: rows read, names new to the store, names changed, and the rows of each kind.</summary>
public sealed record NamesImported(int Rows, int Added, int Renamed, IReadOnlyDictionary<string, int> ByKind)
{
    /// <summary>"12 branches, 80 employees, 80 users: 170 new, 2 renamed, 100 unchanged" (the CLI's line and the audit row's detail).</summary>
    public string Line =>
        $"{Of(ByKind[DirectoryName.Branch], "branch", "branches")}, {Of(ByKind[DirectoryName.Employee], "employee", "employees")}, {Of(ByKind[DirectoryName.User], "user", "users")}: {Added} new, {Renamed} renamed, {Rows - Added - Renamed} unchanged";

    private static string Of(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}

/// <summary>
/// Names for the ids of one answer (<see cref="AlertStore.NamesAsync"/>): each lookup is null for an id the directory
/// does not name, so answers stay as they were for a bank that imported none.
/// </summary>
public sealed record NameBook(IReadOnlyDictionary<string, string> Branches, IReadOnlyDictionary<string, string> Users, IReadOnlyDictionary<string, string> Employees)
{
    public static readonly NameBook Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>());

    public string? Branch(string? id) => id is not null && Branches.TryGetValue(id, out var n) ? n : null;
    public string? User(string? id) => id is not null && Users.TryGetValue(id, out var n) ? n : null;
    public string? Employee(string? id) => id is not null && Employees.TryGetValue(id, out var n) ? n : null;
}
