using System.Data.Common;
using LinqToDB.Interceptors;

namespace Monitor.Actors.State;

/// <summary>
/// Each connection to the SQLite state file commits without waiting for the disk (<c>synchronous=NORMAL</c> in WAL
/// mode): a checkpoint is a thousand small commits, and waiting for an fsync at each cost most of its time. Safe
/// for checkpoints: WAL keeps commits in order, so whatever survives a power cut is a prefix of them, and the commit
/// record, written last, is either there with every snapshot before it or not there at all (the previous checkpoint
/// counts). A killed process loses nothing: the operating system still writes what it was given.
/// </summary>
internal sealed class SqlitePragmas : ConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000";

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        using var c = connection.CreateCommand();
        c.CommandText = Pragmas;
        c.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var c = connection.CreateCommand();
        c.CommandText = Pragmas;
        await c.ExecuteNonQueryAsync(cancellationToken);
    }
}
