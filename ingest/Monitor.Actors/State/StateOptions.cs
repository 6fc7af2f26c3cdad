using LinqToDB;

namespace Monitor.Actors.State;

/// <summary>
/// Where and how often the detector state is saved. The state lives beside the alert store: in a SQLite file
/// next to a SQLite store (<c>monitor.db</c> → <c>monitor.state.db</c>), in the same database (table
/// <see cref="Table"/>) when the store is PostgreSQL. Saved with Akka.Persistence.Sql as snapshots.
/// </summary>
public sealed record StateOptions(string Provider, string ConnectionString, string Description)
{
    /// <summary>The snapshot table.</summary>
    public const string Table = "monitor_state";

    /// <summary>How often a live run checkpoints between batches (replays checkpoint at their end, and every <see cref="CheckpointEvents"/> events).</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A replay checkpoints after this many events, so a long replay does not hold every entity in memory at once.</summary>
    public int CheckpointEvents { get; init; } = 200_000;

    /// <summary>An entity with nothing to do for this long, and saved, leaves memory; its next event brings it back.</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A SQLite file (one machine's); otherwise PostgreSQL.</summary>
    public bool IsSqlite => Provider.StartsWith("SQLite", StringComparison.Ordinal);

    /// <summary>The lead term's epoch on a cluster node (<see cref="PipelineEpoch"/>): every state write checks it is still the newest. Null: no fence (one node).</summary>
    public long? Epoch { get; init; }

    /// <summary>The state store for an alert store given as <c>--store</c> (a SQLite path, or a PostgreSQL connection string with Host=).</summary>
    public static StateOptions ForStore(string location)
    {
        if (location.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            // A pool of its own, small: checkpoints save a few entities at a time and must leave the server's connections to others.
            var pooled = location.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) ? location : location.TrimEnd(';') + ";Maximum Pool Size=10";
            return new StateOptions("PostgreSQL.15", pooled, $"PostgreSQL table {Table}");
        }
        var path = StatePath(location);
        return new StateOptions("SQLite.MS", $"Data Source={path};Pooling=True;Default Timeout=30", path);
    }

    /// <summary>The SQLite file beside a SQLite alert store: <c>dir/name.db</c> → <c>dir/name.state.db</c>.</summary>
    public static string StatePath(string storePath)
    {
        var full = Path.GetFullPath(storePath);
        var name = Path.GetFileNameWithoutExtension(full);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", name + ".state.db");
    }

    /// <summary>
    /// Readies the database before the snapshot store uses it: a SQLite state file is put in WAL mode (kept in the
    /// file), so a checkpoint's many small commits do not each rewrite a rollback journal.
    /// </summary>
    public void Prepare()
    {
        if (!IsSqlite) return;
        using var db = new LinqToDB.Data.DataConnection(new LinqToDB.DataOptions().UseConnectionString(Provider, ConnectionString));
        using var command = db.OpenDbConnection().CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL";
        command.ExecuteNonQuery();
    }

    /// <summary>The actor system's setup for this database: its configuration, and for SQLite the connection pragmas.</summary>
    public Akka.Actor.Setup.ActorSystemSetup Setup(Akka.Configuration.Config extra)
    {
        var bootstrap = Akka.Actor.BootstrapSetup.Create().WithConfig(extra.WithFallback(Config()));
        return DataSetup() is { } data ? bootstrap.And(data) : Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap);
    }

    /// <summary>For SQLite, the connection options with the pragmas every connection needs (<see cref="SqlitePragmas"/>); null for PostgreSQL.</summary>
    public Akka.Actor.Setup.Setup? DataSetup()
    {
        if (!IsSqlite) return null;
        return new Akka.Persistence.Sql.Config.DataOptionsSetup(DataOptions());
    }

    /// <summary>Linq2Db's options for this database, with the SQLite pragmas every connection needs.</summary>
    public DataOptions DataOptions()
    {
        var options = new DataOptions().UseConnectionString(Provider, ConnectionString);
        return IsSqlite ? options.UseInterceptor(new SqlitePragmas()) : options;
    }

    /// <summary>The actor-system configuration for this database, over Akka.Persistence.Sql's defaults.</summary>
    public Akka.Configuration.Config Config() =>
        Akka.Configuration.ConfigurationFactory.ParseString(Hocon()).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);

    /// <summary>The Akka.Persistence.Sql snapshot-store configuration for this database.</summary>
    public string Hocon()
    {
        var mapping = IsSqlite ? "sqlite" : "postgresql";
        return $$"""
            akka.persistence.snapshot-store {
              plugin = "akka.persistence.snapshot-store.sql"
              sql {
                connection-string = "{{Escape(ConnectionString)}}"
                provider-name = "{{Provider}}"
                table-mapping = {{mapping}}
                auto-initialize = true
                {{mapping}}.snapshot.table-name = "{{Table}}"
              }
            }
            """;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
