using System.Data;
using System.Data.Common;
using Akka.Actor;
using Akka.Persistence;

namespace Monitor.Actors.State;

/// <summary>One entity's snapshot for a checkpoint: its bytes under checkpoint <paramref name="Id"/>; its older snapshots below <paramref name="DeleteBelow"/> go (0: none).</summary>
public sealed record StateRow(string PersistenceId, long Id, byte[] Bytes, long DeleteBelow);

/// <summary>
/// Where a region writes its entities' snapshots at a checkpoint. Loading always goes through Akka.Persistence's
/// snapshot store; writing is a batch, since a checkpoint saves every entity touched since the last one.
/// </summary>
public interface IStateRows
{
    /// <summary>Writes every row or none (a failure leaves what was there); each entity's older snapshots below its row's <see cref="StateRow.DeleteBelow"/> go with it.</summary>
    Task WriteAsync(IReadOnlyList<StateRow> rows, CancellationToken ct = default);
}

/// <summary>
/// Writes a checkpoint's snapshots in one transaction, in the table and the row format of Akka.Persistence.Sql's
/// snapshot store (which then loads them). The plugin's own API saves one snapshot per transaction: some 400 µs
/// each on SQLite, most of a replay's checkpoint. Same columns on SQLite and PostgreSQL (the plugin's
/// <c>sqlite</c> and <c>postgresql</c> table mappings): persistence id, sequence number (the checkpoint), creation
/// time in ticks, payload, manifest and serializer id (the byte-array serializer's, which writes no manifest).
/// </summary>
public sealed class SqlStateRows : IStateRows
{
    private readonly StateOptions _options;
    private readonly int _serializerId;
    private readonly SemaphoreSlim _oneWriter = new(1, 1);
    private readonly IActorRef _snapshotStore;
    private Task? _tableReady;

    /// <param name="options">The state database (the table is <see cref="StateOptions.Table"/>).</param>
    /// <param name="serializerId">The id of the serializer the plugin would use for a byte array (see <see cref="For"/>).</param>
    /// <param name="snapshotStore">The plugin's snapshot store, which makes the table when it starts: the first write waits for its first answer.</param>
    public SqlStateRows(StateOptions options, int serializerId, IActorRef snapshotStore)
    {
        _options = options;
        _serializerId = serializerId;
        _snapshotStore = snapshotStore;
    }

    /// <summary>The writer for <paramref name="options"/> in <paramref name="system"/>, whose snapshot store reads what it writes.</summary>
    public static SqlStateRows For(StateOptions options, ActorSystem system) =>
        new(options, system.Serialization.FindSerializerForType(typeof(byte[])).Identifier, Persistence.Instance.Apply(system).SnapshotStoreFor(null));

    public async Task WriteAsync(IReadOnlyList<StateRow> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return;
        // SQLite takes one writer at a time: the regions queue here instead of in its busy handler.
        await _oneWriter.WaitAsync(ct);
        try
        {
            if (_tableReady is null || _tableReady.IsFaulted || _tableReady.IsCanceled)
                _tableReady = _snapshotStore.Ask<object>(new LoadSnapshot("monitor/table-ready", SnapshotSelectionCriteria.None, 0), TimeSpan.FromSeconds(30));
            await _tableReady.WaitAsync(ct);
            using var db = new LinqToDB.Data.DataConnection(_options.DataOptions());
            var connection = db.OpenDbConnection();
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (_options.Epoch is { } mine) await PipelineEpoch.Check(connection, tx, _options, mine, ct);
            await using var insert = Command(connection, tx, $"""
                INSERT INTO {StateOptions.Table} (persistence_id, sequence_nr, created_at, payload, manifest, serializer_id)
                VALUES (@p, @s, @c, @b, '', @z)
                ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET created_at = excluded.created_at, payload = excluded.payload,
                  manifest = excluded.manifest, serializer_id = excluded.serializer_id
                """, ("@p", DbType.String), ("@s", DbType.Int64), ("@c", DbType.Int64), ("@b", DbType.Binary), ("@z", DbType.Int32));
            await using var delete = Command(connection, tx, $"DELETE FROM {StateOptions.Table} WHERE persistence_id = @p AND sequence_nr < @s",
                ("@p", DbType.String), ("@s", DbType.Int64));
            var now = DateTime.UtcNow.Ticks;
            foreach (var row in rows)
            {
                insert.Parameters[0].Value = row.PersistenceId;
                insert.Parameters[1].Value = row.Id;
                insert.Parameters[2].Value = now;
                insert.Parameters[3].Value = row.Bytes;
                insert.Parameters[4].Value = _serializerId;
                await insert.ExecuteNonQueryAsync(ct);
                if (row.DeleteBelow <= 1) continue;
                delete.Parameters[0].Value = row.PersistenceId;
                delete.Parameters[1].Value = row.DeleteBelow;
                await delete.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            _oneWriter.Release();
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            command.Parameters.Add(p);
        }
        command.Prepare();
        return command;
    }
}
