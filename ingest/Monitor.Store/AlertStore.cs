using System.Data.Common;
using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>
/// Where alerts, commands, suspensions, officers' verdicts and the audit log live between restarts: a SQLite
/// file by default, PostgreSQL in production (<see cref="StoreDialect.For"/>). It is also what makes a
/// suspension happen once: a command id already recorded is not sent again once sent, and a user already
/// suspended is not suspended again, whatever the detectors remember after a restart or a replay. Every state
/// change writes an audit line in the same transaction; the audit table refuses updates and deletes itself, and
/// its rows are chained by hash (<see cref="AuditChain"/>) so that any change that gets past the triggers is
/// detected by <see cref="VerifyAuditAsync"/>.
/// </summary>
public sealed partial class AlertStore
{
    private readonly StoreDialect _dialect;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _write = new(1, 1);

    private AlertStore(StoreDialect dialect, TimeProvider clock)
    {
        _dialect = dialect;
        _clock = clock;
    }

    /// <summary>Which database this is ("sqlite" or "postgresql").</summary>
    public string Kind => _dialect.Name;

    /// <summary>
    /// Opens the store, creating its tables; an audit log written before the chain existed is chained once,
    /// over its rows in sequence order, before the append-only triggers are (re)created.
    /// </summary>
    public static async Task<AlertStore> OpenAsync(string location, TimeProvider clock)
    {
        var store = new AlertStore(StoreDialect.For(location), clock);
        await using var c = await store.ConnectAsync();
        foreach (var sql in Schema.Statements(store._dialect)) await Db.ExecAsync(c, null, sql);
        await store.ChainExistingAuditAsync(c);
        await Db.ExecAsync(c, null, Schema.InitialHead);
        foreach (var sql in store._dialect.AppendOnly("audit")) await Db.ExecAsync(c, null, sql);
        return store;
    }

    /// <summary>The last verification of the audit log's chain (at start, or the last <see cref="VerifyAuditAsync"/>); null before any.</summary>
    public AuditVerification? LastAuditCheck { get; private set; }

    /// <summary>
    /// Checks the audit log's chain from its first row to the chain head, in one consistent snapshot, and
    /// names the first row that does not fit (<see cref="AuditChain.Verify"/>).
    /// </summary>
    public async Task<AuditVerification> VerifyAuditAsync()
    {
        await using var c = await ConnectAsync();
        await using var tx = await _dialect.BeginSnapshotAsync(c);
        var head = (await Db.QueryAsync(c, tx, "SELECT seq, hash FROM audit_head WHERE id = 1", r => ((long, string)?)(r.GetInt64(0), r.GetString(1)))).FirstOrDefault();
        AuditVerification verdict;
        await using (var cmd = Db.Command(c, tx, $"SELECT {AuditRowColumns} FROM audit ORDER BY seq"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            verdict = AuditChain.Verify(Rows(reader), head);
        await tx.CommitAsync();
        LastAuditCheck = verdict;
        return verdict;

        static IEnumerable<AuditRow> Rows(DbDataReader r)
        {
            while (r.Read()) yield return ReadAuditRow(r);
        }
    }

    /// <summary>True when the database answers.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            await using var c = await ConnectAsync();
            await using var cmd = Db.Command(c, null, "SELECT 1");
            return await cmd.ExecuteScalarAsync() is not null;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>
    /// Records a batch's outputs in one transaction: alert revisions (a newer revision replaces the body, the
    /// officers' state stays), new commands with their suspensions and audit lines, and branches the safety
    /// valve shut, and users' closed days for the daily verification sheets. Returns the commands to send: new ones,
    /// and known ones never confirmed sent.
    /// </summary>
    public async Task<Recorded> RecordAsync(IReadOnlyList<Alert> alerts, IReadOnlyList<PermissionCommand> commands, IReadOnlyList<string> shutBranches,
        IReadOnlyList<UserDay>? days = null)
    {
        var toSend = new List<PermissionCommand>();
        var inForce = new List<PermissionCommand>();
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            if (commands.Count > 0 || shutBranches.Count > 0) await LockChain(c, tx);
            var now = Db.Time(_clock.GetUtcNow());
            foreach (var a in alerts) await UpsertAlert(c, tx, a, now);
            foreach (var d in days ?? []) await UpsertUserDay(c, tx, d, now);
            foreach (var cmd in commands)
            {
                var sent = await Db.QueryAsync(c, tx, "SELECT sent FROM commands WHERE command_id = @id", r => r.GetInt32(0), ("@id", cmd.CommandId));
                if (sent.Count > 0)
                {
                    if (sent[0] == 0) toSend.Add(cmd);
                    continue;
                }
                if (cmd.Action == "suspend" && await ActiveSuspension(c, tx, cmd.UserId) is not null)
                {
                    inForce.Add(cmd);
                    continue;
                }
                if (await InsertCommand(c, tx, cmd, "monitor", now) == 0) continue; // another monitor instance recorded it first
                if (cmd.Action == "suspend")
                {
                    await Suspend(c, tx, cmd);
                    await Audit(c, tx, now, Actor.Monitor, "suspend", cmd.UserId, cmd.Reason, cmd.CommandId);
                }
                toSend.Add(cmd);
            }
            foreach (var b in shutBranches)
            {
                var added = await Db.ExecAsync(c, tx, "INSERT INTO valve (branch_id, shut_at) VALUES (@b, @at) ON CONFLICT (branch_id) DO NOTHING", ("@b", b), ("@at", now));
                if (added > 0) await Audit(c, tx, now, Actor.Monitor, "valve-shut", b, "too many automatic suspensions in the branch within an hour", null);
            }
            await tx.CommitAsync();
        }
        finally
        {
            _write.Release();
        }
        return new Recorded(toSend, inForce);
    }

    /// <summary>Marks commands as having reached the commands topic.</summary>
    public async Task MarkSentAsync(IEnumerable<string> commandIds)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            foreach (var id in commandIds) await Db.ExecAsync(c, tx, "UPDATE commands SET sent = 1 WHERE command_id = @id", ("@id", id));
            await tx.CommitAsync();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Commands recorded but not confirmed sent (a crash between the two, or an officer's reinstatement): send them on start.</summary>
    public async Task<List<PermissionCommand>> UnsentAsync()
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, "SELECT body FROM commands WHERE sent = 0 ORDER BY recorded_at, command_id", r => OutputJson.ParseCommand(r.GetString(0)));
    }

    /// <summary>
    /// Commands recorded before <paramref name="before"/> and not confirmed sent, with when each was recorded: what a
    /// restarted monitor must look for on the commands topic before it sends anything (<c>UnconfirmedCommands</c>).
    /// </summary>
    public async Task<List<(PermissionCommand Command, DateTimeOffset RecordedAt)>> UnsentBeforeAsync(DateTimeOffset before)
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, "SELECT body, recorded_at FROM commands WHERE sent = 0 AND recorded_at < @before ORDER BY recorded_at, command_id",
            r => (OutputJson.ParseCommand(r.GetString(0)), Db.ParseTime(r.GetString(1))), ("@before", Db.Time(before)));
    }

    public async Task<List<StoredAlert>> AlertsAsync(AlertFilter f) => (await AlertsPageAsync(f)).Items;

    /// <summary>
    /// Every alert officers have judged, confirmed (a violation) or dismissed (a false alert), whose event time is in
    /// [<paramref name="from"/>, <paramref name="to"/>] (null: unbounded), oldest first, without a limit: the
    /// verdicts a backtest or an evaluation scores settings against. Reads only.
    /// </summary>
    public async Task<List<StoredAlert>> JudgedAlertsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var sql = AlertColumns + " WHERE state IN (@confirmed, @dismissed)" + (from is null ? "" : " AND event_time >= @from") + (to is null ? "" : " AND event_time <= @to")
            + " ORDER BY event_time, alert_id";
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, sql, ReadAlert, ("@confirmed", AlertStates.Confirmed), ("@dismissed", AlertStates.Dismissed),
            ("@from", from is { } f ? Db.Time(f) : null), ("@to", to is { } t ? Db.Time(t) : null));
    }

    /// <summary>How many alerts are in each state and severity (the dashboards' open-alert counts).</summary>
    public async Task<List<(string State, string Severity, long Count)>> CountAlertsAsync()
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, "SELECT state, severity, COUNT(*) FROM alerts GROUP BY state, severity ORDER BY state, severity",
            r => (r.GetString(0), r.GetString(1), r.GetInt64(2)));
    }

    public async Task<StoredAlert?> AlertAsync(string alertId)
    {
        await using var c = await ConnectAsync();
        return (await Db.QueryAsync(c, null, AlertColumns + " WHERE alert_id = @id", ReadAlert, ("@id", alertId))).FirstOrDefault();
    }

    /// <summary>
    /// Moves an alert on: <c>acknowledged</c> from open; <c>confirmed</c> or <c>dismissed</c> from open or
    /// acknowledged (a dismissal needs a reason). Verdicts are kept as labels for tuning.
    /// </summary>
    public async Task<Change<StoredAlert>> TransitionAsync(string alertId, string to, Actor actor, string? reason)
    {
        if (to == AlertStates.Dismissed && string.IsNullOrWhiteSpace(reason)) return Change<StoredAlert>.Refused("a dismissal needs a reason");
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            var change = await TransitionAsync(c, tx, alertId, to, actor, reason);
            if (change.Value is not null) await tx.CommitAsync();
            return change;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>An alert's transition inside a transaction that holds the audit chain's lock (an officer's, or a signed sheet's verdict).</summary>
    private async Task<Change<StoredAlert>> TransitionAsync(DbConnection c, DbTransaction tx, string alertId, string to, Actor actor, string? reason)
    {
        var current = (await Db.QueryAsync(c, tx, AlertColumns + " WHERE alert_id = @id", ReadAlert, ("@id", alertId))).FirstOrDefault();
        if (current is null) return Change<StoredAlert>.Missing($"no alert {alertId}");
        var allowed = to == AlertStates.Acknowledged
            ? current.State == AlertStates.Open
            : current.State is AlertStates.Open or AlertStates.Acknowledged;
        if (!allowed) return Change<StoredAlert>.Refused($"alert {alertId} is {current.State}; it cannot become {to}");
        var now = _clock.GetUtcNow();
        await Db.ExecAsync(c, tx, "UPDATE alerts SET state = @s, state_by = @by, state_at = @at, state_reason = @why WHERE alert_id = @id",
            ("@s", to), ("@by", actor.Name), ("@at", Db.Time(now)), ("@why", reason), ("@id", alertId));
        if (to is AlertStates.Confirmed or AlertStates.Dismissed)
        {
            var a = current.Alert;
            await Db.ExecAsync(c, tx, """
                INSERT INTO labels (alert_id, rule, entity_type, entity_id, label, reason, labelled_by, labelled_at)
                VALUES (@id, @rule, @et, @eid, @label, @why, @by, @at)
                """, ("@id", a.AlertId), ("@rule", a.Rule), ("@et", a.EntityType), ("@eid", a.EntityId),
                ("@label", to == AlertStates.Confirmed ? "violation" : "false_positive"), ("@why", reason), ("@by", actor.Name), ("@at", Db.Time(now)));
        }
        await Audit(c, tx, Db.Time(now), actor, to == AlertStates.Acknowledged ? "acknowledge" : to == AlertStates.Confirmed ? "confirm" : "dismiss", alertId, reason, null);
        return Change<StoredAlert>.Done(current with { State = to, StateBy = actor.Name, StateAt = now, StateReason = reason });
    }

    public async Task<List<Suspension>> SuspensionsAsync(bool? active, string? branch = null)
    {
        var sql = SuspensionColumns + " WHERE 1 = 1" + (active is null ? "" : " AND active = @a") + (branch is null ? "" : " AND branch_id = @b") + " ORDER BY since DESC, user_id LIMIT 1000";
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, sql, ReadSuspension, ("@a", active == true ? 1 : 0), ("@b", branch));
    }

    /// <summary>The user's suspension, in force or the last one ended; null when the monitor never suspended the user.</summary>
    public async Task<Suspension?> SuspensionOfAsync(string userId)
    {
        await using var c = await ConnectAsync();
        return (await Db.QueryAsync(c, null, SuspensionColumns + " WHERE user_id = @u", ReadSuspension, ("@u", userId))).FirstOrDefault();
    }

    /// <summary>
    /// An officer lifts a user's suspension: the suspension ends and a <c>reinstate</c> command is recorded,
    /// unsent, for the caller to send (its id derives from the suspension, so asking twice changes nothing).
    /// </summary>
    public async Task<Change<PermissionCommand>> ReinstateAsync(string userId, Actor actor, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Change<PermissionCommand>.Refused("a reinstatement needs a reason");
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            var active = await ActiveSuspension(c, tx, userId);
            if (active is null) return Change<PermissionCommand>.Missing($"user {userId} has no suspension in force");
            var suspendedBy = (await Db.QueryAsync(c, tx, "SELECT body FROM commands WHERE command_id = @id", r => OutputJson.ParseCommand(r.GetString(0)), ("@id", active.CommandId))).FirstOrDefault();
            var now = _clock.GetUtcNow();
            var command = new PermissionCommand
            {
                CommandId = StableId.Of("cmd", "reinstate", userId, active.CommandId),
                Action = "reinstate",
                UserId = userId,
                BranchId = active.BranchId,
                Reason = $"reinstated by {actor.Name} ({actor.Role}): {reason}",
                Reasons = new Localized { Zh = $"由 {actor.Name}（{ChineseRole(actor.Role)}）恢复：{reason}", En = $"reinstated by {actor.Name} ({actor.Role}): {reason}" },
                AlertIds = suspendedBy?.AlertIds ?? [],
                IssuedAt = now,
                Notification = new Notification
                {
                    BranchId = active.BranchId,
                    Subject = $"Credit query permission of {userId} reinstated by {actor.Name}",
                    Verify = [$"Reason given: {reason}", "Nothing more is asked of the branch; keep the verification record of the suspension."],
                    Texts = new NoticeTexts
                    {
                        Zh = new NoticeText
                        {
                            Subject = $"用户 {userId} 的征信查询权限已由 {actor.Name} 恢复",
                            Verify = [$"恢复理由：{reason}", "无需机构再做其他事项；请保留该次暂停的核实记录。"],
                        },
                        En = new NoticeText
                        {
                            Subject = $"Credit query permission of {userId} reinstated by {actor.Name}",
                            Verify = [$"Reason given: {reason}", "Nothing more is asked of the branch; keep the verification record of the suspension."],
                        },
                    },
                },
            };
            await InsertCommand(c, tx, command, $"{actor.Role}:{actor.Name}", Db.Time(now));
            await Db.ExecAsync(c, tx, "UPDATE suspensions SET active = 0, ended_at = @at, ended_by = @by, ended_reason = @why, reinstate_command_id = @cmd WHERE user_id = @u",
                ("@at", Db.Time(now)), ("@by", actor.Name), ("@why", reason), ("@cmd", command.CommandId), ("@u", userId));
            await Audit(c, tx, Db.Time(now), actor, "reinstate", userId, reason, command.CommandId);
            await tx.CommitAsync();
            return Change<PermissionCommand>.Done(command);
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<List<StoredCommand>> CommandsAsync(string? userId, int limit = 100)
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null,
            "SELECT body, origin, sent, recorded_at FROM commands" + (userId is null ? "" : " WHERE user_id = @u") + $" ORDER BY issued_at DESC, command_id LIMIT {Math.Clamp(limit, 1, 1000)}",
            r => new StoredCommand(OutputJson.ParseCommand(r.GetString(0)), r.GetString(1), r.GetInt32(2) == 1, Db.ParseTime(r.GetString(3))), ("@u", userId));
    }

    public async Task<List<Label>> LabelsAsync(string? rule, int limit = 1000)
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null,
            "SELECT alert_id, rule, entity_type, entity_id, label, reason, labelled_by, labelled_at FROM labels" + (rule is null ? "" : " WHERE rule = @r") + $" ORDER BY labelled_at, alert_id LIMIT {Math.Clamp(limit, 1, 10000)}",
            r => new Label(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Db.Text(r, 5), r.GetString(6), Db.ParseTime(r.GetString(7))), ("@r", rule));
    }

    /// <summary>The audit log after sequence number <paramref name="after"/>, oldest first.</summary>
    public async Task<List<AuditEntry>> AuditAsync(long after = 0, int limit = 1000)
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null,
            $"SELECT seq, at, actor, role, action, target, reason, detail FROM audit WHERE seq > @after ORDER BY seq LIMIT {Math.Clamp(limit, 1, 10000)}",
            r => new AuditEntry(r.GetInt64(0), Db.ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Db.Text(r, 6), Db.Text(r, 7)), ("@after", after));
    }

    /// <summary>Branches whose automatic suspension the safety valve stopped and no officer has reopened.</summary>
    public async Task<List<string>> ShutBranchesAsync()
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, "SELECT branch_id FROM valve ORDER BY branch_id", r => r.GetString(0));
    }

    /// <summary>An officer reopens automatic suspension in a branch the safety valve stopped.</summary>
    public async Task<Change<string>> ReopenAsync(string branchId, Actor actor, string reason)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            if (await Db.ExecAsync(c, tx, "DELETE FROM valve WHERE branch_id = @b", ("@b", branchId)) == 0)
                return Change<string>.Missing($"automatic suspension is not stopped in branch {branchId}");
            await Audit(c, tx, Db.Time(_clock.GetUtcNow()), actor, "valve-reopen", branchId, reason, null);
            await tx.CommitAsync();
            return Change<string>.Done(branchId);
        }
        finally
        {
            _write.Release();
        }
    }

    private static string ChineseRole(string role) => role switch { "officer" => "安全管理员", "analyst" => "分析员", "auditor" => "审计员", _ => role };

    private const string AlertColumns = "SELECT body, state, state_by, state_at, state_reason FROM alerts";
    private const string SuspensionColumns = "SELECT user_id, branch_id, command_id, since, reason, active, ended_at, ended_by, ended_reason, reinstate_command_id FROM suspensions";

    private static StoredAlert ReadAlert(DbDataReader r) =>
        new(OutputJson.ParseAlert(r.GetString(0)), r.GetString(1), Db.Text(r, 2), Db.OptionalTime(r, 3), Db.Text(r, 4));

    private static Suspension ReadSuspension(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Db.ParseTime(r.GetString(3)), r.GetString(4), r.GetInt32(5) == 1,
            Db.OptionalTime(r, 6), Db.Text(r, 7), Db.Text(r, 8), Db.Text(r, 9));

    private async Task<DbConnection> ConnectAsync()
    {
        var c = _dialect.Connect();
        await c.OpenAsync();
        foreach (var sql in _dialect.OnOpen) await Db.ExecAsync(c, null, sql);
        return c;
    }

    private static async Task<Suspension?> ActiveSuspension(DbConnection c, DbTransaction tx, string userId) =>
        (await Db.QueryAsync(c, tx, SuspensionColumns + " WHERE user_id = @u AND active = 1", ReadSuspension, ("@u", userId))).FirstOrDefault();

    private static Task UpsertAlert(DbConnection c, DbTransaction tx, Alert a, string now) =>
        Db.ExecAsync(c, tx, """
            INSERT INTO alerts (alert_id, revision, rule, entity_type, entity_id, user_id, branch_id, severity, score, day, event_time, body, state, recorded_at)
            VALUES (@id, @rev, @rule, @et, @eid, @user, @branch, @sev, @score, @day, @time, @body, 'open', @now)
            ON CONFLICT (alert_id) DO UPDATE SET revision = excluded.revision, severity = excluded.severity, score = excluded.score, body = excluded.body
            WHERE excluded.revision > alerts.revision
            """, ("@id", a.AlertId), ("@rev", a.Revision), ("@rule", a.Rule), ("@et", a.EntityType), ("@eid", a.EntityId), ("@user", a.UserId),
            ("@branch", a.BranchId), ("@sev", a.Severity), ("@score", a.Score), ("@day", a.Day), ("@time", Db.Time(a.EventTime)),
            ("@body", OutputJson.Serialize(a)), ("@now", now));

    /// <summary>Inserts a command unless its id is there already; the number of rows added.</summary>
    private static Task<int> InsertCommand(DbConnection c, DbTransaction tx, PermissionCommand cmd, string origin, string now) =>
        Db.ExecAsync(c, tx, """
            INSERT INTO commands (command_id, action, user_id, branch_id, issued_at, recorded_at, origin, sent, body)
            VALUES (@id, @action, @user, @branch, @issued, @now, @origin, 0, @body)
            ON CONFLICT (command_id) DO NOTHING
            """, ("@id", cmd.CommandId), ("@action", cmd.Action), ("@user", cmd.UserId), ("@branch", cmd.BranchId),
            ("@issued", Db.Time(cmd.IssuedAt)), ("@now", now), ("@origin", origin), ("@body", OutputJson.Serialize(cmd)));

    private static Task Suspend(DbConnection c, DbTransaction tx, PermissionCommand cmd) =>
        Db.ExecAsync(c, tx, """
            INSERT INTO suspensions (user_id, branch_id, command_id, since, reason, active) VALUES (@u, @b, @cmd, @since, @why, 1)
            ON CONFLICT (user_id) DO UPDATE SET branch_id = excluded.branch_id, command_id = excluded.command_id, since = excluded.since,
                reason = excluded.reason, active = 1, ended_at = NULL, ended_by = NULL, ended_reason = NULL, reinstate_command_id = NULL
            """, ("@u", cmd.UserId), ("@b", cmd.BranchId), ("@cmd", cmd.CommandId), ("@since", Db.Time(cmd.IssuedAt)), ("@why", cmd.Reason));

    private Task LockChain(DbConnection c, DbTransaction tx) => Db.QueryAsync(c, tx, _dialect.LockChain, _ => 0);

    /// <summary>
    /// Appends an audit row chained to the head, and moves the head; the transaction holds the chain's lock
    /// (<see cref="LockChain"/>), so the head read here is the last row whoever wrote it.
    /// </summary>
    private async Task Audit(DbConnection c, DbTransaction tx, string at, Actor actor, string action, string target, string? reason, string? detail)
    {
        var head = (await Db.QueryAsync(c, tx, "SELECT seq, hash FROM audit_head WHERE id = 1", r => (Seq: r.GetInt64(0), Hash: r.GetString(1)))).FirstOrDefault();
        if (head.Hash is null) // the head row is gone: chain on from the last row, and say so in the row, so the loss stays on record
        {
            head = (await Db.QueryAsync(c, tx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", r => (Seq: r.GetInt64(0), Hash: Db.Text(r, 1) ?? ""))).FirstOrDefault();
            if (head.Hash is not null) detail = AuditChain.HeadLost + (detail is null ? "" : "; " + detail);
        }
        var row = new AuditRow(head.Seq + 1, at, actor.Name, actor.Role, action, target, reason, detail);
        var prev = head.Hash ?? AuditChain.Genesis;
        var hash = AuditChain.Hash(row, prev);
        await Db.ExecAsync(c, tx, $"""
            INSERT INTO audit (seq, at, actor, role, action, target, reason, detail, prev, hash) {_dialect.OverridingIdentity}
            VALUES (@seq, @at, @actor, @role, @action, @target, @why, @detail, @prev, @hash)
            """, ("@seq", row.Seq), ("@at", at), ("@actor", actor.Name), ("@role", actor.Role), ("@action", action), ("@target", target),
            ("@why", reason), ("@detail", detail), ("@prev", prev), ("@hash", hash));
        await Db.ExecAsync(c, tx, "INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            ("@seq", row.Seq), ("@hash", hash));
    }

    private const string AuditRowColumns = "seq, at, actor, role, action, target, reason, detail, prev, hash";

    private static AuditRow ReadAuditRow(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Db.Text(r, 6), Db.Text(r, 7), Db.Text(r, 8), Db.Text(r, 9));

    /// <summary>
    /// Chains an audit log written before the chain existed: adds the columns, computes each row's hash over its
    /// rows in sequence order from the genesis value, and sets the head, in one transaction under the chain's
    /// lock (two instances starting together migrate once). The triggers are dropped for it and recreated after.
    /// </summary>
    private async Task ChainExistingAuditAsync(DbConnection c)
    {
        if (await HasHashColumn(c, null)) return;
        await using var tx = await c.BeginTransactionAsync();
        await Db.QueryAsync(c, tx, _dialect.LockChain, _ => 0);
        if (await HasHashColumn(c, tx)) return;
        await Db.ExecAsync(c, tx, "ALTER TABLE audit ADD COLUMN prev TEXT NULL");
        await Db.ExecAsync(c, tx, "ALTER TABLE audit ADD COLUMN hash TEXT NULL");
        foreach (var sql in _dialect.DropAppendOnly("audit")) await Db.ExecAsync(c, tx, sql);
        var rows = await Db.QueryAsync(c, tx, $"SELECT {AuditRowColumns} FROM audit ORDER BY seq", ReadAuditRow);
        var prev = AuditChain.Genesis;
        long seq = 0;
        foreach (var row in rows)
        {
            var hash = AuditChain.Hash(row, prev);
            await Db.ExecAsync(c, tx, "UPDATE audit SET prev = @prev, hash = @hash WHERE seq = @seq", ("@prev", prev), ("@hash", hash), ("@seq", row.Seq));
            (prev, seq) = (hash, row.Seq);
        }
        await Db.ExecAsync(c, tx, "INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            ("@seq", seq), ("@hash", prev));
        await tx.CommitAsync();
    }

    private async Task<bool> HasHashColumn(DbConnection c, DbTransaction? tx) =>
        (await Db.QueryAsync(c, tx, _dialect.ColumnCount, r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), ("@table", "audit"), ("@column", "hash")))[0] > 0;
}
