using System.Data.Common;
using Monitor.Testing;
using Npgsql;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>The store contract on a real PostgreSQL server from Debian's packages.</summary>
public sealed class PostgresStoreTests(PostgresServer server) : StoreContract, IClassFixture<PostgresServer>
{
    protected override Task<string> NewLocationAsync() => server.NewDatabaseAsync();

    protected override DbConnection Raw(string location) => new NpgsqlConnection(location);

    protected override string[] DropAuditTriggers => ["DROP TRIGGER audit_no_change ON audit", "DROP TRIGGER audit_no_truncate ON audit"];

    protected override string LegacyIdentity => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    protected override string Overriding => "OVERRIDING SYSTEM VALUE";
}
