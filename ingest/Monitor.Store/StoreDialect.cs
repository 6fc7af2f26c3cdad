using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Monitor.Store;

/// <summary>
/// What differs between the embedded SQLite file and a PostgreSQL server: how to connect, the identity column
/// of the audit log, and the triggers that make that log append-only. Everything else is the same SQL.
/// </summary>
public abstract class StoreDialect
{
    public abstract string Name { get; }

    public abstract DbConnection Connect();

    /// <summary>The audit log's sequence column.</summary>
    public abstract string IdentityColumn { get; }

    /// <summary>Statements that make the audit log refuse updates and deletes at the database itself.</summary>
    public abstract IEnumerable<string> AppendOnly(string table);

    /// <summary>Statements run once per connection before use.</summary>
    public virtual IEnumerable<string> OnOpen => [];

    /// <summary>
    /// A store for <paramref name="location"/>: a PostgreSQL connection string (it names a <c>Host=</c>), else the
    /// path of a SQLite file, created if missing.
    /// </summary>
    public static StoreDialect For(string location) =>
        location.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? new Postgres(location) : new Sqlite(location);

    private sealed class Sqlite(string path) : StoreDialect
    {
        private readonly string _connection = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();

        public override string Name => "sqlite";
        public override DbConnection Connect() => new SqliteConnection(_connection);
        public override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";
        public override IEnumerable<string> OnOpen => ["PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=30000"];

        public override IEnumerable<string> AppendOnly(string table) =>
        [
            $"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            $"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ];
    }

    private sealed class Postgres(string connection) : StoreDialect
    {
        private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connection);

        public override string Name => "postgresql";
        public override DbConnection Connect() => _source.CreateConnection();
        public override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

        public override IEnumerable<string> AppendOnly(string table) =>
        [
            $"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
            $"CREATE OR REPLACE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
            $"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
        ];
    }
}
