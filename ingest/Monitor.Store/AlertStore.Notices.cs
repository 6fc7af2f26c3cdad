namespace Monitor.Store;

/// <summary>
/// What the notifier keeps in the store (docs/notifications.md): which notices went out already, so a restart that
/// publishes an alert's revision again, or another node taking over, does not tell the officers twice; and a line in
/// the audit log for each delivery and each failed attempt.
/// </summary>
public sealed partial class AlertStore
{
    /// <summary>Claims the notice <paramref name="key"/> for sending: true the first time, false when it was claimed before (by any node).</summary>
    public async Task<bool> ClaimNoticeAsync(string key)
    {
        await using var c = await ConnectAsync();
        return await Db.ExecAsync(c, null, "INSERT INTO notices (notice_key, claimed_at) VALUES (@k, @at) ON CONFLICT (notice_key) DO NOTHING",
            ("@k", key), ("@at", Db.Time(_clock.GetUtcNow()))) > 0;
    }

    /// <summary>An audit line by the monitor about a notice: <paramref name="action"/> to <paramref name="target"/>, what it said, and how it went.</summary>
    public async Task AuditNoticeAsync(string action, string target, string? reason, string detail)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            await Audit(c, tx, Db.Time(_clock.GetUtcNow()), Actor.Monitor, action, target, reason, detail);
            await tx.CommitAsync();
        }
        finally
        {
            _write.Release();
        }
    }
}
