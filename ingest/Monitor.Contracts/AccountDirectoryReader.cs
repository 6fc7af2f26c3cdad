namespace Monitor.Contracts;

/// <summary>
/// Reads the bank's account directory (docs/operations.md, "Importing the account directory"): UTF-8 with or
/// without a BOM, comma separated with RFC 4180 quoting, a header row naming the columns. As strict as the event
/// reader, with the same checks on ids and times: the first bad row refuses the whole file
/// (<see cref="AccountDirectoryException"/>, naming its line and field), so a half-read directory never seeds the state.
/// </summary>
public static class AccountDirectoryReader
{
    /// <summary>The columns, in the order the documentation lists them; the header may order them otherwise.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["userId", "employeeId", "role", "branchId", "parentBranchId", "status", "createdAt", "passwordChangedAt", "lastQueryAt"];

    private static readonly string[] Statuses = ["active", "disabled", "suspended"];

    /// <summary>
    /// The accounts of <paramref name="bytes"/>, in file order. Every time must lie within
    /// [<paramref name="earliest"/>, <paramref name="latest"/>] (the settings' plausible start and the clock plus the
    /// lead they allow).
    /// </summary>
    public static IReadOnlyList<AccountSeed> Read(ReadOnlySpan<byte> bytes, DateTimeOffset earliest, DateTimeOffset latest)
    {
        List<(int Line, List<string> Fields)> records;
        try
        {
            records = CsvRecords.Read(bytes);
        }
        catch (CsvFileException e) when (e is not AccountDirectoryException)
        {
            throw new AccountDirectoryException(e.Line, e.Field, e.Reason);
        }
        if (records.Count == 0 || records[0].Fields is [""]) throw new AccountDirectoryException(1, null, $"a header row is required: {string.Join(",", Columns)}");
        var index = Header(records[0]);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var parents = new Dictionary<string, (string Parent, int Line)>(StringComparer.Ordinal);
        var accounts = new List<AccountSeed>(records.Count - 1);
        for (var k = 1; k < records.Count; k++)
        {
            var (line, fields) = records[k];
            if (fields is [""] && records.Skip(k).All(r => r.Fields is [""])) break; // blank lines at the end
            if (fields.Count != Columns.Count)
                throw new AccountDirectoryException(line, null, $"expected {Columns.Count} fields as in the header, found {fields.Count}");
            var seed = Row(line, name => fields[index[name]], earliest, latest);
            if (seen.TryGetValue(seed.UserId, out var first))
                throw new AccountDirectoryException(line, "userId", $"duplicate account: 'userId' {Printable.Escape(seed.UserId)} is already on line {first}");
            seen[seed.UserId] = line;
            if (seed.ParentBranchId is { } parent)
            {
                if (parent == seed.BranchId) throw new AccountDirectoryException(line, "parentBranchId", "invalid value: a branch cannot be its own parent");
                if (parents.TryGetValue(seed.BranchId, out var p) && p.Parent != parent)
                    throw new AccountDirectoryException(line, "parentBranchId", $"conflicting value: branch {Printable.Escape(seed.BranchId)} has parent {Printable.Escape(p.Parent)} on line {p.Line}");
                parents.TryAdd(seed.BranchId, (parent, line));
            }
            accounts.Add(seed);
        }
        return accounts;
    }

    private static Dictionary<string, int> Header((int Line, List<string> Fields) header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i];
            if (!Columns.Contains(name))
                throw new AccountDirectoryException(1, null, $"unknown column '{Printable.Escape(name)}' in the header; the columns are {string.Join(",", Columns)}");
            if (!index.TryAdd(name, i)) throw new AccountDirectoryException(1, name, $"column '{name}' appears twice in the header");
        }
        if (Columns.FirstOrDefault(c => !index.ContainsKey(c)) is { } missing)
            throw new AccountDirectoryException(1, missing, $"the header has no column '{missing}'; the columns are {string.Join(",", Columns)}");
        return index;
    }

    private static AccountSeed Row(int line, Func<string, string> field, DateTimeOffset earliest, DateTimeOffset latest)
    {
        string Id(string name, bool required)
        {
            var v = field(name);
            if (EventValidator.CheckId(required || v.Length > 0 ? v : null, name, required) is { } reason) throw new AccountDirectoryException(line, name, reason);
            return v;
        }
        DateTimeOffset Time(string name)
        {
            var v = field(name);
            if (v.Length == 0) throw new AccountDirectoryException(line, name, $"missing field: '{name}' is required");
            if (!EventValidator.TryParseTime(v, name, out var t, out var reason)) throw new AccountDirectoryException(line, name, reason!);
            if (t < earliest) throw new AccountDirectoryException(line, name, $"implausible time: '{name}' {EventJson.FormatTime(t)} is before {EventJson.FormatTime(earliest)}");
            if (t > latest) throw new AccountDirectoryException(line, name, $"implausible time: '{name}' {EventJson.FormatTime(t)} is in the future (after {EventJson.FormatTime(latest)})");
            return t;
        }
        var userId = Id("userId", true);
        var employeeId = Id("employeeId", true);
        var roleText = field("role");
        if (!WireNames.TryParse<UserRole>(roleText, out var role))
            throw new AccountDirectoryException(line, "role", $"unknown value: 'role' is '{Short(roleText)}', expected one of {string.Join("|", WireNames.All<UserRole>())}");
        var branchId = Id("branchId", true);
        var parent = Id("parentBranchId", false);
        var statusText = field("status");
        var status = Array.IndexOf(Statuses, statusText);
        if (status < 0) throw new AccountDirectoryException(line, "status", $"unknown value: 'status' is '{Short(statusText)}', expected one of {string.Join("|", Statuses)}");
        var created = Time("createdAt");
        var password = Time("passwordChangedAt");
        if (password < created) throw new AccountDirectoryException(line, "passwordChangedAt", "implausible time: 'passwordChangedAt' is before 'createdAt'");
        DateTimeOffset? lastQuery = null;
        if (field("lastQueryAt").Length > 0)
        {
            lastQuery = Time("lastQueryAt");
            if (lastQuery < created) throw new AccountDirectoryException(line, "lastQueryAt", "implausible time: 'lastQueryAt' is before 'createdAt'");
        }
        return new AccountSeed(userId, employeeId, role, branchId, parent.Length == 0 ? null : parent, (AccountDirectoryStatus)status, created, password, lastQuery);
    }

    private static string Short(string s) => Printable.Escape(s.Length > 40 ? s[..40] + "…" : s);
}

/// <summary>A row of the account directory that cannot be imported: its line, the field when one is to blame, and why.</summary>
public sealed class AccountDirectoryException(int line, string? field, string reason) : CsvFileException(line, field, reason);
