using System.Data;
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

    /// <summary>Statements that remove the append-only triggers, for the one-time migration that chains an existing log.</summary>
    public abstract IEnumerable<string> DropAppendOnly(string table);

    /// <summary>A query counting the columns named @column of table @table (0 or 1).</summary>
    public abstract string ColumnCount { get; }

    /// <summary>
    /// Run first in a transaction that appends to the audit log, before anything else is written: it takes the
    /// lock that serialises appends across monitor instances, so two of them never fork the chain.
    /// </summary>
    public abstract string LockChain { get; }

    /// <summary>A read-only transaction that sees one consistent snapshot and blocks no writer (for verification).</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection c);

    /// <summary>What an INSERT needs to give the audit log's sequence number itself.</summary>
    public virtual string OverridingIdentity => "";

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

        public override IEnumerable<string> DropAppendOnly(string table) => [$"DROP TRIGGER IF EXISTS {table}_no_update", $"DROP TRIGGER IF EXISTS {table}_no_delete"];

        public override string ColumnCount => "SELECT COUNT(*) FROM pragma_table_info(@table) WHERE name = @column";

        // A SQLite transaction that writes is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): it holds the
        // database's one writer lock from its start, across processes; the head row is read under it.
        public override string LockChain => "SELECT seq FROM audit_head WHERE id = 1";

        public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection c) => ValueTask.FromResult<DbTransaction>(((SqliteConnection)c).BeginTransaction(deferred: true));
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

        public override IEnumerable<string> DropAppendOnly(string table) =>
            [$"DROP TRIGGER IF EXISTS {table}_no_change ON {table}", $"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"];

        public override string ColumnCount =>
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @column";

        // A transaction-scoped advisory lock: held until commit or rollback, taken by every appender (and the
        // migration) of every monitor instance on this database. The key is arbitrary and fixed.
        public override string LockChain => "SELECT pg_advisory_xact_lock(7305320161)";

        public override string OverridingIdentity => "OVERRIDING SYSTEM VALUE";

        public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection c) => c.BeginTransactionAsync(IsolationLevel.RepeatableRead);
    }
}
