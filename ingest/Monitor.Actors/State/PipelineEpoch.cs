using System.Data.Common;

namespace Monitor.Actors.State;

/// <summary>
/// The fence between two nodes that both believe they lead the pipeline (a node paused long enough for the cluster
/// to down it and start another, which then wakes up before it hears). Each lead term takes the next epoch from the
/// state database (<see cref="TakeAsync"/>); every write of detector state checks, in its own transaction, that its
/// epoch is still the newest (<see cref="Check"/>), so a node that lost the lead can no longer write snapshots or a
/// commit record, and the new leader's checkpoints stay whole. On PostgreSQL the check holds a share lock on the
/// epoch's row: a new term's epoch waits for writes in progress, and writes after it see it.
/// </summary>
public static class PipelineEpoch
{
    /// <summary>The table of epochs (one row, the pipeline's).</summary>
    public const string Table = "monitor_lease";

    /// <summary>Takes the next epoch for a lead term starting now.</summary>
    public static async Task<long> TakeAsync(StateOptions options, CancellationToken ct = default)
    {
        using var db = new LinqToDB.Data.DataConnection(options.DataOptions());
        var connection = db.OpenDbConnection();
        await using var create = connection.CreateCommand();
        create.CommandText = $"CREATE TABLE IF NOT EXISTS {Table} (name VARCHAR(64) PRIMARY KEY, epoch BIGINT NOT NULL)";
        await create.ExecuteNonQueryAsync(ct);
        await using var take = connection.CreateCommand();
        take.CommandText = $"INSERT INTO {Table} (name, epoch) VALUES ('pipeline', 1) ON CONFLICT (name) DO UPDATE SET epoch = {Table}.epoch + 1 RETURNING epoch";
        return Convert.ToInt64(await take.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Within a state write's transaction: throws <see cref="FencedException"/> when another term took a newer epoch than <paramref name="mine"/>.</summary>
    public static async Task Check(DbConnection connection, DbTransaction tx, StateOptions options, long mine, CancellationToken ct)
    {
        await using var check = connection.CreateCommand();
        check.Transaction = tx;
        var share = options.IsSqlite ? "" : " FOR SHARE"; // SQLite has one writer at a time anyway
        check.CommandText = $"SELECT epoch FROM {Table} WHERE name = 'pipeline'{share}";
        var newest = Convert.ToInt64(await check.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        if (newest != mine) throw new FencedException(mine, newest);
    }
}

/// <summary>Another node leads the pipeline now: this node's state writes are refused.</summary>
public sealed class FencedException(long mine, long newest)
    : Exception($"another node leads the pipeline now (epoch {newest}; this node's is {mine}): its state is no longer written from here");
