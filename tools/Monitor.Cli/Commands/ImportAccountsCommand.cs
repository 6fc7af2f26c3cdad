using System.CommandLine;
using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Contracts;
using Monitor.Hosting;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor import-accounts FILE.csv</c>: seeds the detector state kept beside <c>--store</c> with the bank's
/// account directory at first start, so password age, dormant accounts and role conflicts are judged from the
/// first day on history the monitor never saw (docs/operations.md). The whole file is checked first: a bad row
/// imports nothing.
/// </summary>
internal static class ImportAccountsCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "the access-control system's account export, CSV with a header row (docs/operations.md)" };
        var store = CommonOptions.Store("monitor.db");
        store.Description = "the alert store whose detector state is seeded (SQLite file or PostgreSQL connection string); the state is kept beside it";
        var settings = CommonOptions.Settings();
        var cmd = new Command("import-accounts", "seed the detector state with the bank's account directory (accounts, roles, password changes, last queries)") { file, store, settings };
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var context = CommonOptions.LoadSettings(p.GetValue(settings));
            var location = p.GetValue(store);
            if (string.IsNullOrWhiteSpace(location)) throw new CliException("--store: import-accounts seeds the detector state kept beside an alert store; name one");
            var input = p.GetValue(file)!;
            if (!input.Exists) throw new CliException($"{input.FullName} does not exist");
            var accounts = Read(input, context.Settings);
            await using var host = await MonitorHost.StartAsync(new MonitorHostOptions(context) { StateStore = location });
            var graph = host.Graph;
            try
            {
                await graph.SeedAccountsAsync(accounts, ct);
                await graph.CheckpointAsync(graph.Positions, ct);
            }
            catch (CheckpointFailedException e)
            {
                throw new CliException($"nothing imported, the detector state cannot be saved: {e.Message}");
            }
            var counts = string.Join(", ", Enum.GetValues<AccountDirectoryStatus>().Select(s => $"{accounts.Count(a => a.Status == s)} {s.ToString().ToLowerInvariant()}"));
            Console.Error.WriteLine($"imported {accounts.Count} accounts ({counts}) from {input.Name} into the detector state in "
                + $"{host.StateDescription} (checkpoint {graph.Checkpoint})");
            return 0;
        }));
        return cmd;
    }

    private static IReadOnlyList<AccountSeed> Read(FileInfo input, Monitor.Detectors.Settings.DetectionSettings settings)
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
            var latest = TimeProvider.System.GetUtcNow().AddMinutes(settings.MaxAheadOfClockMinutes);
            return AccountDirectoryReader.Read(bytes, settings.EarliestPlausible, latest);
        }
        catch (AccountDirectoryException e)
        {
            throw new CliException($"{input.Name} {e.Message}; nothing imported");
        }
    }
}
