namespace Monitor.Contracts;

/// <summary>
/// A name of the bank's directory (docs/operations.md, "Importing the names"): a branch's name (城东支行), an
/// employee's (张伟), or the name of the person holding an account. Shown beside the ids to the officers; never used
/// by a rule.
/// </summary>
public sealed record DirectoryName(string Kind, string Id, string Name)
{
    public const string Branch = "branch";
    public const string Employee = "employee";
    public const string User = "user";

    /// <summary>The kinds a name may be of, in the documentation's order. Subjects are never named: their ids are pseudonyms on purpose.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Branch, Employee, User];
}

/// <summary>
/// Reads the names directory: a header <c>kind,id,name</c> (any order) and a row per name, as strict as the account
/// directory: the first bad row refuses the whole file (<see cref="CsvFileException"/>, naming its line and field), so a
/// half-read file never changes a name.
/// </summary>
public static class NameDirectoryReader
{
    public static readonly IReadOnlyList<string> Columns = ["kind", "id", "name"];

    /// <summary>Longest name taken, in characters (a branch's full name: 中国某某银行股份有限公司某某分行某某支行 fits).</summary>
    public const int MaxNameLength = 100;

    /// <summary>The names of <paramref name="bytes"/>, in file order.</summary>
    public static IReadOnlyList<DirectoryName> Read(ReadOnlySpan<byte> bytes)
    {
        var records = CsvRecords.Read(bytes);
        if (records.Count == 0 || records[0].Fields is [""]) throw new CsvFileException(1, null, $"a header row is required: {string.Join(",", Columns)}");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, i) in records[0].Fields.Select((n, i) => (n, i)))
        {
            if (!Columns.Contains(name)) throw new CsvFileException(1, null, $"unknown column '{Printable.Escape(name)}' in the header; the columns are {string.Join(",", Columns)}");
            if (!index.TryAdd(name, i)) throw new CsvFileException(1, name, $"column '{name}' appears twice in the header");
        }
        if (Columns.FirstOrDefault(c => !index.ContainsKey(c)) is { } missing)
            throw new CsvFileException(1, missing, $"the header has no column '{missing}'; the columns are {string.Join(",", Columns)}");
        var seen = new Dictionary<(string, string), int>();
        var names = new List<DirectoryName>(records.Count - 1);
        for (var k = 1; k < records.Count; k++)
        {
            var (line, fields) = records[k];
            if (fields is [""] && records.Skip(k).All(r => r.Fields is [""])) break; // blank lines at the end
            if (fields.Count != Columns.Count)
                throw new CsvFileException(line, null, $"expected {Columns.Count} fields as in the header, found {fields.Count}");
            var kind = fields[index["kind"]];
            if (!DirectoryName.Kinds.Contains(kind))
                throw new CsvFileException(line, "kind", $"unknown value: 'kind' is '{Printable.Escape(kind.Length > 40 ? kind[..40] + "…" : kind)}', expected one of {string.Join("|", DirectoryName.Kinds)}");
            var id = fields[index["id"]];
            if (EventValidator.CheckId(id, "id", required: true) is { } bad) throw new CsvFileException(line, "id", bad);
            var name = fields[index["name"]].Trim();
            if (name.Length == 0) throw new CsvFileException(line, "name", "missing field: 'name' is required");
            if (name.Length > MaxNameLength) throw new CsvFileException(line, "name", $"invalid value: 'name' is longer than {MaxNameLength} characters");
            if (Printable.FirstHidden(name) is >= 0 and var at)
                throw new CsvFileException(line, "name", $"invalid value: 'name' holds an invisible or control character (U+{(int)name[at]:X4} at position {at})");
            if (seen.TryGetValue((kind, id), out var first))
                throw new CsvFileException(line, "id", $"duplicate name: {kind} {Printable.Escape(id)} is already named on line {first}");
            seen[(kind, id)] = line;
            names.Add(new DirectoryName(kind, id, name));
        }
        return names;
    }
}
