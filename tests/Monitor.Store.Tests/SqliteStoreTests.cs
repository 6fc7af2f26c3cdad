using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Monitor.Store.Tests;

/// <summary>The store contract on the embedded default: a SQLite file.</summary>
public sealed class SqliteStoreTests : StoreContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("monitor-store-").FullName;

    protected override Task<string> NewLocationAsync() => Task.FromResult(Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db"));

    protected override DbConnection Raw(string location) => new SqliteConnection($"Data Source={location}");

    protected override string[] DropAuditTriggers => ["DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"];

    protected override string LegacyIdentity => "INTEGER PRIMARY KEY AUTOINCREMENT";

    protected override string Overriding => "";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
