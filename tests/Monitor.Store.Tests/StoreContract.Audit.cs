using Xunit;

namespace Monitor.Store.Tests;

/// <summary>
/// The audit log's hash chain, whichever database: someone with the database's credentials drops the
/// append-only triggers and edits, deletes or forges rows; verification names the first row that no longer fits.
/// </summary>
public abstract partial class StoreContract
{
    /// <summary>The statements that remove the store's append-only triggers, as a tamperer would.</summary>
    protected abstract string[] DropAuditTriggers { get; }

    /// <summary>The audit log's sequence column as the store created it before the chain.</summary>
    protected abstract string LegacyIdentity { get; }

    /// <summary>What an INSERT needs to give the sequence number itself.</summary>
    protected abstract string Overriding { get; }

    [Fact]
    public async Task The_audit_log_written_by_the_store_verifies_intact_and_stays_so_after_a_reopen_and_more_changes()
    {
        var (store, location) = await AuditedAsync();
        var v = await store.VerifyAuditAsync();
        Assert.True(v.Intact, v.Line);
        Assert.Equal(5, v.Rows);
        Assert.Same(v, store.LastAuditCheck);
        var reopened = await AlertStore.OpenAsync(location, Clock);
        await reopened.RecordAsync([], [], ["SB0109"]);
        var again = await reopened.VerifyAuditAsync();
        Assert.True(again.Intact, again.Line);
        Assert.Equal(6, again.Rows);
        Assert.NotEqual(v.Head, again.Head);
    }

    [Fact]
    public async Task An_edited_row_is_named_once_someone_dropped_the_triggers()
    {
        var (store, location) = await AuditedAsync();
        await RawAsync(location, [.. DropAuditTriggers, "UPDATE audit SET reason = 'nothing to see' WHERE seq = 3"]);
        var v = await store.VerifyAuditAsync();
        Assert.False(v.Intact);
        Assert.Equal(3, v.FirstBroken!.Id);
        Assert.Contains("edited", v.FirstBroken.Reason);
        Assert.Equal(5, v.Rows);
    }

    [Fact]
    public async Task A_forged_row_in_the_name_of_an_unknown_officer_is_named_with_or_without_a_hash_computed_the_documented_way()
    {
        var (store, location) = await AuditedAsync();
        await RawAsync(location, $"""
            INSERT INTO audit (seq, at, actor, role, action, target, reason) {Overriding}
            VALUES (6, '2026-03-02T12:00:00.0000000Z', 'officer-ghost', 'officer', 'reinstate', 'UA0101', 'verified')
            """);
        var v = await store.VerifyAuditAsync();
        Assert.False(v.Intact);
        Assert.Equal(6, v.FirstBroken!.Id);
        Assert.Contains("no hash", v.FirstBroken.Reason);

        // A forger who read docs/store.md chains the row properly: the chain head the store keeps still tells.
        var (store2, location2) = await AuditedAsync();
        var head = (await store2.VerifyAuditAsync()).Head!;
        var forged = new AuditRow(6, "2026-03-02T12:00:00.0000000Z", "officer-ghost", "officer", "reinstate", "UA0101", "verified", null);
        await RawAsync(location2, $"""
            INSERT INTO audit (seq, at, actor, role, action, target, reason, prev, hash) {Overriding}
            VALUES (6, '{forged.At}', 'officer-ghost', 'officer', 'reinstate', 'UA0101', 'verified', '{head}', '{AuditChain.Hash(forged, head)}')
            """);
        var v2 = await store2.VerifyAuditAsync();
        Assert.False(v2.Intact);
        Assert.Equal(6, v2.FirstBroken!.Id);
        Assert.Contains("after the chain head", v2.FirstBroken.Reason);
    }

    [Fact]
    public async Task A_deleted_row_is_named_by_the_row_after_it_and_deleted_last_rows_by_the_chain_head()
    {
        var (store, location) = await AuditedAsync();
        await RawAsync(location, [.. DropAuditTriggers, "DELETE FROM audit WHERE seq = 2"]);
        var v = await store.VerifyAuditAsync();
        Assert.False(v.Intact);
        Assert.Equal(3, v.FirstBroken!.Id);
        Assert.Contains("deleted", v.FirstBroken.Reason);
        Assert.Equal(4, v.Rows);

        var (store2, location2) = await AuditedAsync();
        await RawAsync(location2, [.. DropAuditTriggers, "DELETE FROM audit WHERE seq >= 4"]);
        var v2 = await store2.VerifyAuditAsync();
        Assert.False(v2.Intact);
        Assert.Equal(5, v2.FirstBroken!.Id);
        Assert.Contains("rows at the end were deleted", v2.FirstBroken.Reason);
    }

    [Fact]
    public async Task Last_rows_deleted_with_the_chain_head_stay_detected_after_the_monitor_appends_again()
    {
        var (store, location) = await AuditedAsync();
        await RawAsync(location, [.. DropAuditTriggers, "DELETE FROM audit WHERE seq >= 4", "DELETE FROM audit_head"]);
        Assert.False((await store.VerifyAuditAsync()).Intact);
        await store.RecordAsync([], [], ["SB0109"]); // the monitor goes on writing
        var v = await store.VerifyAuditAsync();
        Assert.False(v.Intact, v.Line);
        Assert.Equal(4, v.FirstBroken!.Id);
        Assert.Contains("chain head was missing", v.FirstBroken.Reason);
    }

    [Fact]
    public async Task An_audit_log_from_before_the_chain_is_chained_on_open_in_its_order_and_stays_append_only()
    {
        var location = await NewLocationAsync();
        await RawAsync(location, $"""
            CREATE TABLE audit (
                seq {LegacyIdentity}, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,
                target TEXT NOT NULL, reason TEXT NULL, detail TEXT NULL)
            """,
            "INSERT INTO audit (at, actor, role, action, target, reason, detail) VALUES ('2026-03-01T09:00:00.0000000Z', 'monitor', 'system', 'suspend', 'UA0101', 'ADMIN_QUERY', 'cmd-1')",
            "INSERT INTO audit (at, actor, role, action, target, reason, detail) VALUES ('2026-03-01T10:00:00.0000000Z', 'officer-wang', 'officer', 'reinstate', 'UA0101', 'verified', NULL)",
            "INSERT INTO audit (at, actor, role, action, target, reason, detail) VALUES ('2026-03-01T11:00:00.0000000Z', 'monitor', 'system', 'valve-shut', 'SB0101', NULL, NULL)");
        var store = await AlertStore.OpenAsync(location, Clock);
        var v = await store.VerifyAuditAsync();
        Assert.True(v.Intact, v.Line);
        Assert.Equal(3, v.Rows);
        var first = new AuditRow(1, "2026-03-01T09:00:00.0000000Z", "monitor", "system", "suspend", "UA0101", "ADMIN_QUERY", "cmd-1");
        var second = new AuditRow(2, "2026-03-01T10:00:00.0000000Z", "officer-wang", "officer", "reinstate", "UA0101", "verified", null);
        var third = new AuditRow(3, "2026-03-01T11:00:00.0000000Z", "monitor", "system", "valve-shut", "SB0101", null, null);
        Assert.Equal(AuditChain.Hash(third, AuditChain.Hash(second, AuditChain.Hash(first, AuditChain.Genesis))), v.Head);

        await (await AlertStore.OpenAsync(location, Clock)).RecordAsync([], [], ["SB0102"]);
        var after = await store.VerifyAuditAsync();
        Assert.True(after.Intact, after.Line);
        Assert.Equal([1L, 2, 3, 4], (await store.AuditAsync()).Select(a => a.Seq));
        var e = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => RawAsync(location, "UPDATE audit SET actor = 'nobody'"));
        Assert.Contains("append-only", e.Message);
    }

    [Fact]
    public async Task Two_monitor_instances_appending_to_one_store_at_once_keep_one_chain()
    {
        var location = await NewLocationAsync();
        var a = await AlertStore.OpenAsync(location, Clock);
        var b = await AlertStore.OpenAsync(location, Clock);
        await Task.WhenAll(Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            Task.Run(() => a.RecordAsync([], [], [$"SA{i:00}"])),
            Task.Run(() => b.RecordAsync([], [], [$"SB{i:00}"])),
        }));
        var v = await a.VerifyAuditAsync();
        Assert.True(v.Intact, v.Line);
        Assert.Equal(40, v.Rows);
    }

    /// <summary>Five audit rows: a suspension, a valve shut, a confirmation, a reinstatement, a reopening.</summary>
    private async Task<(AlertStore Store, string Location)> AuditedAsync()
    {
        var (store, location) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1")], [Samples.Suspend("al-1")], ["SB0101"]);
        await store.TransitionAsync("al-1", AlertStates.Confirmed, Samples.Officer, "confirmed with the branch");
        await store.ReinstateAsync("UA0101", Samples.Officer, "verified");
        await store.ReopenAsync("SB0101", Samples.Officer, "feed fixed");
        return (store, location);
    }

    private async Task RawAsync(string location, params string[] statements)
    {
        await using var c = Raw(location);
        await c.OpenAsync();
        foreach (var sql in statements)
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
