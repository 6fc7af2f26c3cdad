using System.Data.Common;
using System.Text.Json;
using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>
/// The daily verification sheets' side of the store: users' closed days, the branch tree they name, and each
/// sheet's sign-off (verdicts, the signature, corrections after it, escalation), every step in the audit log.
/// </summary>
public sealed partial class AlertStore
{
    private static readonly JsonSerializerOptions DayJson = new(JsonSerializerDefaults.Web);

    /// <summary>A closed day is final: recording it again (a redelivery, a replay) writes the same figures.</summary>
    private static async Task UpsertUserDay(DbConnection c, DbTransaction tx, UserDay d, string now)
    {
        await Db.ExecAsync(c, tx, """
            INSERT INTO user_days (branch_id, day, user_id, body, recorded_at) VALUES (@b, @d, @u, @body, @at)
            ON CONFLICT (branch_id, day, user_id) DO UPDATE SET body = excluded.body
            """, ("@b", d.BranchId), ("@d", d.Day), ("@u", d.UserId), ("@body", JsonSerializer.Serialize(d, DayJson)), ("@at", now));
        await Db.ExecAsync(c, tx, """
            INSERT INTO branches (branch_id, parent_id) VALUES (@b, @p)
            ON CONFLICT (branch_id) DO UPDATE SET parent_id = COALESCE(excluded.parent_id, branches.parent_id)
            """, ("@b", d.BranchId), ("@p", d.ParentBranchId));
    }

    /// <summary>Branch <paramref name="branchId"/>'s sheet for local day <paramref name="day"/> (yyyy-MM-dd); null until one of its users' days has closed.</summary>
    public async Task<DaySheet?> SheetAsync(string branchId, string day)
    {
        await using var c = await ConnectAsync();
        return await SheetAsync(c, null, branchId, day);
    }

    private async Task<DaySheet?> SheetAsync(DbConnection c, DbTransaction? tx, string branchId, string day)
    {
        var users = await Db.QueryAsync(c, tx, "SELECT body FROM user_days WHERE branch_id = @b AND day = @d ORDER BY user_id",
            r => JsonSerializer.Deserialize<UserDay>(r.GetString(0), DayJson)!, ("@b", branchId), ("@d", day));
        if (users.Count == 0) return null;
        var alerts = await Db.QueryAsync(c, tx, AlertColumns + " WHERE branch_id = @b AND day = @d ORDER BY event_time, alert_id", ReadAlert, ("@b", branchId), ("@d", day));
        var status = (await Db.QueryAsync(c, tx, "SELECT signed_by, signed_at, note, escalation, escalated_at FROM sheets WHERE branch_id = @b AND day = @d",
            r => new SheetStatus(Db.Text(r, 0), Db.OptionalTime(r, 1), Db.Text(r, 2), r.GetInt32(3), Db.OptionalTime(r, 4)), ("@b", branchId), ("@d", day))).FirstOrDefault();
        var verdicts = (await Db.QueryAsync(c, tx, "SELECT item_id, verdict, reason, given_by, given_at FROM sheet_verdicts WHERE branch_id = @b AND day = @d",
            r => (Id: r.GetString(0), Verdict: new ItemVerdict(r.GetString(1), r.GetString(2), r.GetString(3), Db.ParseTime(r.GetString(4)))), ("@b", branchId), ("@d", day)))
            .ToDictionary(v => v.Id, v => v.Verdict);
        var corrections = await Db.QueryAsync(c, tx, "SELECT item_id, verdict, reason, given_by, given_at FROM sheet_corrections WHERE branch_id = @b AND day = @d ORDER BY seq",
            r => (r.GetString(0), new ItemVerdict(r.GetString(1), r.GetString(2), r.GetString(3), Db.ParseTime(r.GetString(4)))), ("@b", branchId), ("@d", day));
        return DaySheet.Build(branchId, day, users, alerts, status, verdicts, corrections);
    }

    /// <summary>
    /// An officer's verdict on one item of an unsigned sheet (given again, it replaces the earlier one); refused on a
    /// signed sheet, where a correction is the way (<see cref="CorrectAsync"/>).
    /// </summary>
    public Task<Change<DaySheet>> GiveVerdictAsync(string branchId, string day, string itemId, string verdict, string reason, Actor actor) =>
        SheetChangeAsync(branchId, day, async (c, tx, sheet, now) =>
        {
            if (sheet.Status.Signed) return $"the sheet of {branchId} for {day} was signed by {sheet.Status.SignedBy}: it cannot change; add a correction instead";
            if (!sheet.Items.Any(i => i.ItemId == itemId)) return null;
            await Db.ExecAsync(c, tx, """
                INSERT INTO sheet_verdicts (branch_id, day, item_id, verdict, reason, given_by, given_at) VALUES (@b, @d, @i, @v, @r, @by, @at)
                ON CONFLICT (branch_id, day, item_id) DO UPDATE SET verdict = excluded.verdict, reason = excluded.reason, given_by = excluded.given_by, given_at = excluded.given_at
                """, ("@b", branchId), ("@d", day), ("@i", itemId), ("@v", verdict), ("@r", reason), ("@by", actor.Name), ("@at", now));
            await Audit(c, tx, now, actor, "sheet-verdict", $"{branchId}/{day}/{itemId}", reason, verdict);
            return "";
        }, missingItem: itemId);

    /// <summary>
    /// One verdict for every item of an unsigned sheet that has none yet, of <paramref name="kind"/> when given (a branch
    /// officer clearing the day's spot checks at once); each item gets its own verdict and audit row. None left
    /// undecided: nothing changes, and the sheet is answered as it is.
    /// </summary>
    public Task<Change<DaySheet>> GiveVerdictsAsync(string branchId, string day, string? kind, string verdict, string reason, Actor actor) =>
        SheetChangeAsync(branchId, day, async (c, tx, sheet, now) =>
        {
            if (sheet.Status.Signed) return $"the sheet of {branchId} for {day} was signed by {sheet.Status.SignedBy}: it cannot change; add a correction instead";
            foreach (var item in sheet.Items.Where(i => i.Verdict is null && (kind is null || i.Kind == kind)))
            {
                await Db.ExecAsync(c, tx, """
                    INSERT INTO sheet_verdicts (branch_id, day, item_id, verdict, reason, given_by, given_at) VALUES (@b, @d, @i, @v, @r, @by, @at)
                    """, ("@b", branchId), ("@d", day), ("@i", item.ItemId), ("@v", verdict), ("@r", reason), ("@by", actor.Name), ("@at", now));
                await Audit(c, tx, now, actor, "sheet-verdict", $"{branchId}/{day}/{item.ItemId}", reason, verdict);
            }
            return "";
        });

    /// <summary>
    /// Signs a sheet whose every item has a verdict; a signed sheet cannot be signed again. Each finding's verdict then
    /// settles its alert, if no officer has yet: a violation confirms it, a legitimate one dismisses it with the
    /// verdict's reason (and either becomes a label for the analysts), in the same transaction.
    /// </summary>
    public Task<Change<DaySheet>> SignAsync(string branchId, string day, string? note, Actor actor) =>
        SheetChangeAsync(branchId, day, async (c, tx, sheet, now) =>
        {
            if (sheet.Status.Signed) return $"the sheet of {branchId} for {day} was already signed by {sheet.Status.SignedBy} at {Db.Time(sheet.Status.SignedAt!.Value)}";
            if (sheet.Undecided > 0) return $"{sheet.Undecided} of {sheet.Items.Count} items of the sheet have no verdict yet: give each one before signing";
            await EnsureSheetRow(c, tx, branchId, day);
            await Db.ExecAsync(c, tx, "UPDATE sheets SET signed_by = @by, signed_at = @at, note = @n WHERE branch_id = @b AND day = @d",
                ("@by", actor.Name), ("@at", now), ("@n", note), ("@b", branchId), ("@d", day));
            await Audit(c, tx, now, actor, "sheet-signed", $"{branchId}/{day}", note, $"items: {sheet.Items.Count}; violations: {sheet.Violations}");
            foreach (var item in sheet.Items.Where(i => i.Kind == SheetItem.Finding && i.AlertId is not null && i.Verdict is not null))
                await TransitionAsync(c, tx, item.AlertId!, item.Verdict!.Verdict == ItemVerdict.Violation ? AlertStates.Confirmed : AlertStates.Dismissed, actor,
                    $"daily sheet {branchId} {day}: {item.Verdict.Reason}"); // an alert already settled stays as it is
            return "";
        });

    /// <summary>A correction to a signed sheet's item: a new entry beside the signed verdict, which stays as it was.</summary>
    public Task<Change<DaySheet>> CorrectAsync(string branchId, string day, string itemId, string verdict, string reason, Actor actor) =>
        SheetChangeAsync(branchId, day, async (c, tx, sheet, now) =>
        {
            if (!sheet.Status.Signed) return $"the sheet of {branchId} for {day} is not signed yet: change the verdict itself";
            if (!sheet.Items.Any(i => i.ItemId == itemId)) return null;
            await Db.ExecAsync(c, tx, """
                INSERT INTO sheet_corrections (branch_id, day, item_id, verdict, reason, given_by, given_at) VALUES (@b, @d, @i, @v, @r, @by, @at)
                """, ("@b", branchId), ("@d", day), ("@i", itemId), ("@v", verdict), ("@r", reason), ("@by", actor.Name), ("@at", now));
            await Audit(c, tx, now, actor, "sheet-correction", $"{branchId}/{day}/{itemId}", reason, verdict);
            return "";
        }, missingItem: itemId);

    /// <summary>
    /// Raises each unsigned sheet of <paramref name="due"/> to its level (never lowers one), one level at a time, each
    /// with its own audit row and reason: a sheet found two deadlines late goes to the parent branch and then to head
    /// office. Returns the sheets raised (one signed meanwhile, or already there, is not).
    /// <para>
    /// A deadline raises hundreds of sheets at once, and every write holds the store's write lock, which the live
    /// batches wait for. So only each sheet's status is read (not the sheet), and the sheets go
    /// <see cref="EscalationsPerTransaction"/> to a transaction: reading each whole sheet twice in a transaction of its
    /// own held the batches of 1,000 events/s up for 4 s at a deadline of 314 sheets.
    /// </para>
    /// </summary>
    public async Task<List<SheetEscalation>> EscalateAsync(IReadOnlyList<SheetEscalation> due)
    {
        var raised = new List<SheetEscalation>();
        foreach (var chunk in due.Chunk(EscalationsPerTransaction))
        {
            await _write.WaitAsync();
            try
            {
                await using var c = await ConnectAsync();
                await using var tx = await c.BeginTransactionAsync();
                await LockChain(c, tx);
                var now = Db.Time(_clock.GetUtcNow());
                foreach (var e in chunk)
                    if (await RaiseAsync(c, tx, e, now)) raised.Add(e);
                await tx.CommitAsync();
            }
            finally
            {
                _write.Release();
            }
        }
        return raised;
    }

    /// <summary>How many sheets one escalation transaction raises (the batches wait for at most one such transaction).</summary>
    public const int EscalationsPerTransaction = 32;

    private async Task<bool> RaiseAsync(DbConnection c, DbTransaction tx, SheetEscalation e, string now)
    {
        if ((await Db.QueryAsync(c, tx, "SELECT 1 FROM user_days WHERE branch_id = @b AND day = @d LIMIT 1", _ => 1, ("@b", e.BranchId), ("@d", e.Day))).Count == 0) return false;
        var status = (await Db.QueryAsync(c, tx, "SELECT signed_at, escalation FROM sheets WHERE branch_id = @b AND day = @d",
            r => (Signed: !r.IsDBNull(0), Escalation: r.GetInt32(1)), ("@b", e.BranchId), ("@d", e.Day))).FirstOrDefault();
        if (status.Signed || status.Escalation >= e.Level) return false;
        await EnsureSheetRow(c, tx, e.BranchId, e.Day);
        for (var next = status.Escalation + 1; next <= e.Level; next++)
        {
            await Db.ExecAsync(c, tx, "UPDATE sheets SET escalation = @l, escalated_at = @at WHERE branch_id = @b AND day = @d",
                ("@l", next), ("@at", now), ("@b", e.BranchId), ("@d", e.Day));
            await Audit(c, tx, now, Actor.Monitor, "sheet-escalated", $"{e.BranchId}/{e.Day}", e.Why(next), next == SheetStatus.HeadOffice ? "head-office" : "parent");
        }
        return true;
    }

    /// <summary>Every sheet not signed and not yet at head office, whatever its day, with its escalation level.</summary>
    public async Task<List<(string BranchId, string Day, int Escalation)>> UnsignedSheetsAsync()
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, """
            SELECT u.branch_id, u.day, COALESCE(MAX(s.escalation), 0) FROM user_days u
            LEFT JOIN sheets s ON s.branch_id = u.branch_id AND s.day = u.day
            WHERE s.signed_at IS NULL AND COALESCE(s.escalation, 0) < 2
            GROUP BY u.branch_id, u.day ORDER BY u.day, u.branch_id
            """, r => (r.GetString(0), r.GetString(1), r.GetInt32(2)));
    }

    /// <summary>The sheets of the branches in <paramref name="branches"/> (null: all) from <paramref name="fromDay"/> on, as the list shows them.</summary>
    public async Task<List<SheetSummary>> SheetsAsync(IReadOnlySet<string>? branches, string fromDay)
    {
        await using var c = await ConnectAsync();
        var rows = await Db.QueryAsync(c, null, """
            SELECT u.branch_id, u.day, COUNT(*), MAX(s.signed_by), MAX(s.signed_at), COALESCE(MAX(s.escalation), 0) FROM user_days u
            LEFT JOIN sheets s ON s.branch_id = u.branch_id AND s.day = u.day
            WHERE u.day >= @from GROUP BY u.branch_id, u.day ORDER BY u.day DESC, u.branch_id
            """, r => new SheetSummary(r.GetString(0), r.GetString(1), r.GetInt32(2), Db.Text(r, 3), Db.OptionalTime(r, 4), r.GetInt32(5)), ("@from", fromDay));
        return branches is null ? rows : rows.FindAll(s => branches.Contains(s.BranchId));
    }

    /// <summary>Each branch the closed days named, with the branch above it (null at the top).</summary>
    public async Task<Dictionary<string, string?>> BranchTreeAsync()
    {
        await using var c = await ConnectAsync();
        return (await Db.QueryAsync(c, null, "SELECT branch_id, parent_id FROM branches", r => (r.GetString(0), Db.Text(r, 1)))).ToDictionary(b => b.Item1, b => b.Item2);
    }

    private static Task<int> EnsureSheetRow(DbConnection c, DbTransaction tx, string branchId, string day) =>
        Db.ExecAsync(c, tx, "INSERT INTO sheets (branch_id, day, escalation) VALUES (@b, @d, 0) ON CONFLICT (branch_id, day) DO NOTHING", ("@b", branchId), ("@d", day));

    /// <summary>
    /// One change to a sheet in one transaction under the audit chain's lock: <paramref name="change"/> answers ""
    /// when it changed the sheet, a reason when it refused, null when the item does not exist.
    /// </summary>
    private async Task<Change<DaySheet>> SheetChangeAsync(string branchId, string day,
        Func<DbConnection, DbTransaction, DaySheet, string, Task<string?>> change, string? missingItem = null)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            if (await SheetAsync(c, tx, branchId, day) is not { } sheet) return Change<DaySheet>.Missing($"no closed day {day} for branch {branchId}");
            var outcome = await change(c, tx, sheet, Db.Time(_clock.GetUtcNow()));
            if (outcome is null) return Change<DaySheet>.Missing($"no item {missingItem} on the sheet of {branchId} for {day}");
            if (outcome.Length > 0) return Change<DaySheet>.Refused(outcome);
            var changed = (await SheetAsync(c, tx, branchId, day))!;
            await tx.CommitAsync();
            return Change<DaySheet>.Done(changed);
        }
        finally
        {
            _write.Release();
        }
    }
}

/// <summary>A sheet as the list shows it: branch, day, how many users, signed by whom and when, escalation level.</summary>
public sealed record SheetSummary(string BranchId, string Day, int Users, string? SignedBy, DateTimeOffset? SignedAt, int Escalation)
{
    public string EscalatedTo => Escalation switch { SheetStatus.Parent => "parent", SheetStatus.HeadOffice => "head-office", _ => "none" };

    /// <summary>The directory's name of the branch, as the API answers it; absent when it has none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] public string? BranchName { get; init; }
}

/// <summary>A late sheet to raise to <paramref name="Level"/>; <paramref name="Why"/> gives the audit reason of each level it passes.</summary>
public sealed record SheetEscalation(string BranchId, string Day, int Level, Func<int, string> Why);
