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
        catch (OperationCanceledException)
        {
            return 130;
        }
    }

    public static StreamWriter Writer(FileInfo file)
    {
        if (file.Directory is { Exists: false } dir) dir.Create();
        return new StreamWriter(file.FullName, false, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
    }
}
