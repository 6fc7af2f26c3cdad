using System.CommandLine;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor audit verify --store S</c>: checks the audit log's hash chain (docs/store.md) from outside the
/// running service, for an auditor or a scheduled job: exit 0 intact, 1 broken (the first broken row in one
/// line), 2 for a usage mistake (no such store).
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var store = new Option<string?>("--store") { Description = "the alert store: a SQLite file, or a PostgreSQL connection string with Host=... (docs/store.md)" };
        var verify = new Command("verify", "check that no row of the audit log was edited, inserted or deleted; exit 0 intact, 1 broken, 2 usage") { store };
        verify.SetAction(p => Cli.Guard(async () =>
        {
            var location = p.GetValue(store);
            if (string.IsNullOrWhiteSpace(location)) throw new CliException("audit verify: --store is required (a SQLite file or a PostgreSQL connection string)");
            var opened = await CommonOptions.OpenExistingStoreAsync(location);
            var verdict = await opened.VerifyAuditAsync();
            if (verdict.Intact)
            {
                Console.WriteLine(verdict.Line);
                return 0;
            }
            Console.Error.WriteLine($"monitor: {verdict.Line}");
            return 1;
        }));
        return new Command("audit", "the audit log of officers' and the monitor's actions") { verify };
    }
}
