namespace Monitor.Cli.Commands;

/// <summary>
/// The JSON-lines files the analysts' verbs read (alerts, commands, labels: from a replay, or consumed from a topic),
/// each refused at its first line that is not what the option asks for, in one line naming the option, the file and
/// the line: an events file given as alerts, or a JSON array (the officers' <c>/api/labels</c> answer), is one line.
/// </summary>
internal static class JsonLinesFile
{
    public static List<T> Read<T>(FileInfo file, string option, string kind, Func<string, T> parse)
    {
        if (!file.Exists) throw new CliException($"{option}: {file.FullName} {(Directory.Exists(file.FullName) ? "is a folder, not a file" : "does not exist")}");
        var items = new List<T>();
        var n = 0;
        try
        {
            foreach (var line in File.ReadLines(file.FullName))
            {
                n++;
                if (line.Length == 0) continue;
                try
                {
                    items.Add(parse(line));
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException)
                {
                    var hint = !line.TrimStart().StartsWith('[') ? ""
                        : option == "--labels" ? " (a JSON array: this needs one object per line; the officers' verdicts are read with --store)"
                        : " (a JSON array: this needs one object per line)";
                    throw new CliException($"{option}: {file.Name} line {n} is not {kind}{hint}");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot read {file.FullName}: {Cli.Reason(e)}");
        }
        return items;
    }
}
