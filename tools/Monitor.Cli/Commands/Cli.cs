using System.CommandLine;
using Monitor.Hosting;

namespace Monitor.Cli.Commands;

/// <summary>Small helpers every verb uses: error reporting and output files.</summary>
internal static class Cli
{
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"monitor: {e.Message}");
            return 2;
        }
        catch (HostStartException e)
        {
            Console.Error.WriteLine($"monitor: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The machine, not the monitor: a full disk, a folder it may not write. One line, as for a mistake.
            Console.Error.WriteLine($"monitor: {e.Message}");
            return 2;
        }
    }

    /// <summary>A command line System.CommandLine could not parse, as one line: its errors and where help is.</summary>
    public static string ParseErrorLine(ParseResult parsed)
    {
        var path = new List<string>();
        for (var r = parsed.CommandResult; r.Command is not RootCommand && r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) path.Insert(0, r.Command.Name);
        var verb = path.Count == 0 ? "" : string.Join(" ", path) + " "; // "report daily", not "daily"
        var errors = string.Join(" ", parsed.Errors.Select(e => string.Join(" ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
        return $"monitor: {errors} (./monitor {verb}--help lists the options)";
    }

    /// <summary>Opens an output file, creating its folder; one line naming <paramref name="option"/> when it cannot.</summary>
    public static StreamWriter Writer(FileInfo file, string option)
    {
        try
        {
            if (file.Directory is { Exists: false } dir) dir.Create();
            return new StreamWriter(file.FullName, false, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliException($"{option}: cannot write {file.FullName}: {Reason(e)}");
        }
    }

    /// <summary>An I/O error's message without the path .NET appends (the caller names the file).</summary>
    public static string Reason(Exception e)
    {
        var m = e.Message;
        var quote = m.IndexOf(" : '", StringComparison.Ordinal);
        if (quote > 0) m = m[..quote];
        return m.TrimEnd('.', ' ');
    }
}
