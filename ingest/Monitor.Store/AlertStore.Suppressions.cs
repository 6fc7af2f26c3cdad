using System.Data.Common;

namespace Monitor.Store;

/// <summary>
/// The analysts' suppressions made through the officers' API: made with a reason and an expiry, listed, ended
/// early; each making and ending is an audit row in the same transaction. The detectors judge by them beside
/// the settings file's (the hosting layer reads them from here, <c>StoreSuppressions</c>).
/// </summary>
public sealed partial class AlertStore
{
    private const string SuppressionColumnsSql =
        "SELECT id, rule, entity_type, entity_id, reason, created_by, created_at, until_at, ended_by, ended_at, ended_reason FROM suppressions";

    /// <summary>
    /// Records a suppression from now until <see cref="NewSuppression.Until"/>. Refused (a conflict) when its expiry
    /// is not after now, or when an active suppression of the same rule and entity exists: that one is ended first
    /// (an analyst who wants a longer one ends it and makes a new one, and both steps are on record).
    /// </summary>
    public async Task<Change<StoredSuppression>> SuppressAsync(NewSuppression s, Actor actor)
    {
        await _write.WaitAsync();
        try
        {
            var now = _clock.GetUtcNow();
            if (s.Until <= now) return Change<StoredSuppression>.Refused($"until {Db.Time(s.Until)} is not in the future");
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            var same = (await Db.QueryAsync(c, tx, SuppressionColumnsSql + " WHERE rule = @r AND entity_type = @t AND entity_id = @e AND ended_at IS NULL AND until_at > @now ORDER BY id",
                r => ReadSuppression(r, now), ("@r", s.Rule), ("@t", s.EntityType), ("@e", s.EntityId), ("@now", Db.Time(now)))).FirstOrDefault();
            if (same is not null)
                return Change<StoredSuppression>.Refused($"suppression {same.Id} already covers {s.Rule} on {s.EntityType} {s.EntityId} until {Db.Time(same.Until)}: end it first to replace it");
            var id = (await Db.QueryAsync(c, tx, """
                INSERT INTO suppressions (rule, entity_type, entity_id, reason, created_by, created_at, until_at)
                VALUES (@r, @t, @e, @why, @by, @at, @until) RETURNING id
                """, r => r.GetInt64(0), ("@r", s.Rule), ("@t", s.EntityType), ("@e", s.EntityId), ("@why", s.Reason), ("@by", actor.Name),
                ("@at", Db.Time(now)), ("@until", Db.Time(s.Until))))[0];
            await Audit(c, tx, Db.Time(now), actor, "suppression-create", SuppressionTarget(s.Rule, s.EntityType, s.EntityId), s.Reason,
                $"suppression {id}; until {Db.Time(s.Until)}");
            await tx.CommitAsync();
            return Change<StoredSuppression>.Done(new StoredSuppression(id, s.Rule, s.EntityType, s.EntityId, s.Reason, actor.Name, Db.ParseTime(Db.Time(now)),
                Db.ParseTime(Db.Time(s.Until)), null, null, null, StoredSuppression.Active));
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// The suppressions in force now, newest first; with <paramref name="all"/>, every one the store holds (ended and
    /// expired ones too: the detectors judge past event times by them, and they are the record of what was accepted).
    /// </summary>
    public async Task<List<StoredSuppression>> SuppressionsAsync(bool all = false)
    {
        var now = _clock.GetUtcNow();
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, SuppressionColumnsSql + (all ? "" : " WHERE ended_at IS NULL AND until_at > @now") + " ORDER BY id DESC",
            r => ReadSuppression(r, now), ("@now", Db.Time(now)));
    }

    /// <summary>One suppression by its id, or null.</summary>
    public async Task<StoredSuppression?> SuppressionAsync(long id)
    {
        var now = _clock.GetUtcNow();
        await using var c = await ConnectAsync();
        return (await Db.QueryAsync(c, null, SuppressionColumnsSql + " WHERE id = @id", r => ReadSuppression(r, now), ("@id", id))).FirstOrDefault();
    }

    /// <summary>
    /// Ends an active suppression now, before its expiry: findings from now on raise alerts again. Not found for an
    /// unknown id; refused (a conflict) for one already ended or expired.
    /// </summary>
    public async Task<Change<StoredSuppression>> EndSuppressionAsync(long id, Actor actor, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Change<StoredSuppression>.Refused("ending a suppression needs a reason");
        await _write.WaitAsync();
        try
        {
            var now = _clock.GetUtcNow();
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            var current = (await Db.QueryAsync(c, tx, SuppressionColumnsSql + " WHERE id = @id", r => ReadSuppression(r, now), ("@id", id))).FirstOrDefault();
            if (current is null) return Change<StoredSuppression>.Missing($"no suppression {id}");
            if (current.State == StoredSuppression.Ended)
                return Change<StoredSuppression>.Refused($"suppression {id} was already ended by {current.EndedBy} at {Db.Time(current.EndedAt!.Value)}");
            if (current.State == StoredSuppression.Expired)
                return Change<StoredSuppression>.Refused($"suppression {id} expired at {Db.Time(current.Until)}: there is nothing left to end");
            await Db.ExecAsync(c, tx, "UPDATE suppressions SET ended_by = @by, ended_at = @at, ended_reason = @why WHERE id = @id",
                ("@by", actor.Name), ("@at", Db.Time(now)), ("@why", reason), ("@id", id));
            await Audit(c, tx, Db.Time(now), actor, "suppression-end", SuppressionTarget(current.Rule, current.EntityType, current.EntityId), reason,
                $"suppression {id}; was until {Db.Time(current.Until)}");
            await tx.CommitAsync();
            return Change<StoredSuppression>.Done(current with { EndedBy = actor.Name, EndedAt = Db.ParseTime(Db.Time(now)), EndedReason = reason, State = StoredSuppression.Ended });
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>What an audit row about a suppression names: the rule and the entity it covers.</summary>
    private static string SuppressionTarget(string rule, string entityType, string entityId) => $"{rule}/{entityType}/{entityId}";

    private static StoredSuppression ReadSuppression(DbDataReader r, DateTimeOffset now)
    {
        var until = Db.ParseTime(r.GetString(7));
        var endedAt = Db.OptionalTime(r, 9);
        return new StoredSuppression(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            Db.ParseTime(r.GetString(6)), until, Db.Text(r, 8), endedAt, Db.Text(r, 10), StoredSuppression.StateAt(endedAt, until, now));
    }
}
