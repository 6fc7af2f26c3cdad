using System.CommandLine;
using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor import-names FILE.csv</c>: the bank's directory of names (branches, employees, account holders) into the
/// alert store, which every node shares, so the officers' API and console show 城东支行 beside SB0101 and 张伟 beside
/// QO010101 (docs/operations.md, "Importing the names"). The whole file is checked first: a bad row imports nothing.
/// Run whenever the bank's directory changes: names are added and renamed, never removed.
/// </summary>
internal static class ImportNamesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "the directory of names: CSV, UTF-8, a header kind,id,name (docs/operations.md)" };
        var store = CommonOptions.Store("monitor.db");
        var cmd = new Command("import-names", "import the names of branches, employees and account holders, shown beside their ids to the officers") { file, store };
        cmd.SetAction(p => Cli.Guard(async () =>
        {
            var location = p.GetValue(store);
            if (string.IsNullOrWhiteSpace(location)) throw new CliException("--store: import-names keeps the names in an alert store; name one");
            var input = p.GetValue(file)!;
            if (!input.Exists) throw new CliException($"{input.FullName} does not exist");
            var names = Read(input);
            AlertStore opened;
            try
            {
                opened = await AlertStore.OpenAsync(location, TimeProvider.System);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--store: cannot open {Monitor.Hosting.OfficerService.Redact(location)}: {e.Message}; nothing imported");
            }
            var done = await opened.ImportNamesAsync(names, input.Name, new Actor($"cli:{Environment.UserName}", "system"));
            Console.Error.WriteLine($"imported {done.Line} from {input.Name} into {Monitor.Hosting.OfficerService.Redact(location)}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Every row of the file, or one line naming the file, the bad row's line and field.</summary>
    internal static IReadOnlyList<DirectoryName> Read(FileInfo input)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(input.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{input.FullName}: cannot read: {Cli.Reason(e)}");
        }
        try
        {
            return NameDirectoryReader.Read(bytes);
        }
        catch (CsvFileException e)
        {
            throw new CliException($"{input.Name} {e.Message}; nothing imported");
        }
    }
}
