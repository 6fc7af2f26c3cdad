using System.Text.Json;
using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>
/// The officers' casework beside the alerts: notes, assignments to an officer (each in the audit log, written in the
/// same transaction), and the reads the console's queue and charts need (the alerts a queue groups into cases, the
/// branch-days with a branch's own alert, an alert's neighbours, alerts per rule per day, a user's daily reads).
/// </summary>
public sealed partial class AlertStore
{
    /// <summary>The most alerts a queue groups at once; more than this and the queue says it shows the newest only.</summary>
    public const int QueueCap = 20_000;

    /// <summary>Adds an officer's note to an alert; the note's text is the audit row's reason.</summary>
    public async Task<Change<AlertNote>> AddNoteAsync(string alertId, string text, Actor actor)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            if ((await Db.QueryAsync(c, tx, "SELECT 1 FROM alerts WHERE alert_id = @id", _ => 1, ("@id", alertId))).Count == 0)
                return Change<AlertNote>.Missing($"no alert {alertId}");
            var now = Db.Time(_clock.GetUtcNow());
            var id = (await Db.QueryAsync(c, tx, "SELECT COALESCE(MAX(id), 0) + 1 FROM alert_notes", r => r.GetInt64(0)))[0];
            await Db.ExecAsync(c, tx, "INSERT INTO alert_notes (id, alert_id, text, noted_by, noted_at) VALUES (@n, @id, @t, @by, @at)",
                ("@n", id), ("@id", alertId), ("@t", text), ("@by", actor.Name), ("@at", now));
            await Audit(c, tx, now, actor, "note", alertId, text, $"note {id}");
            await tx.CommitAsync();
            return Change<AlertNote>.Done(new AlertNote(id, alertId, text, actor.Name, Db.ParseTime(now)));
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>The notes on these alerts, oldest first.</summary>
    public async Task<List<AlertNote>> NotesAsync(IReadOnlyCollection<string> alertIds)
    {
        await using var c = await ConnectAsync();
        var notes = new List<AlertNote>();
        foreach (var (inList, args) in InLists(alertIds))
            notes.AddRange(await Db.QueryAsync(c, null, $"SELECT id, alert_id, text, noted_by, noted_at FROM alert_notes WHERE alert_id IN ({inList})",
                r => new AlertNote(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), Db.ParseTime(r.GetString(4))), args));
        return [.. notes.OrderBy(n => n.Id)];
    }

    /// <summary>
    /// Gives alerts (a case's, at once) to <paramref name="officer"/> in one transaction, an audit row each; an alert
    /// already with that officer is left as it is. Missing when one of them does not exist (then none changes).
    /// </summary>
    public async Task<Change<IReadOnlyList<Assignment>>> AssignAsync(IReadOnlyList<string> alertIds, string officer, Actor actor, string? reason)
    {
        await _write.WaitAsync();
        try
        {
            await using var c = await ConnectAsync();
            await using var tx = await c.BeginTransactionAsync();
            await LockChain(c, tx);
            var now = Db.Time(_clock.GetUtcNow());
            var done = new List<Assignment>();
            foreach (var id in alertIds.Distinct(StringComparer.Ordinal))
            {
                if ((await Db.QueryAsync(c, tx, "SELECT 1 FROM alerts WHERE alert_id = @id", _ => 1, ("@id", id))).Count == 0)
                    return Change<IReadOnlyList<Assignment>>.Missing($"no alert {id}");
                var current = (await Db.QueryAsync(c, tx, "SELECT officer FROM alert_assignments WHERE alert_id = @id", r => r.GetString(0), ("@id", id))).FirstOrDefault();
                if (current != officer)
                {
                    await Db.ExecAsync(c, tx, """
                        INSERT INTO alert_assignments (alert_id, officer, assigned_by, assigned_at) VALUES (@id, @o, @by, @at)
                        ON CONFLICT (alert_id) DO UPDATE SET officer = excluded.officer, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at
                        """, ("@id", id), ("@o", officer), ("@by", actor.Name), ("@at", now));
                    await Audit(c, tx, now, actor, "assign", id, reason, current is null ? $"to {officer}" : $"to {officer} (was {current})");
                }
                done.Add(new Assignment(id, officer, actor.Name, Db.ParseTime(now)));
            }
            await tx.CommitAsync();
            return Change<IReadOnlyList<Assignment>>.Done(done);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Who works each of these alerts (those never assigned are left out).</summary>
    public async Task<Dictionary<string, Assignment>> AssignmentsAsync(IReadOnlyCollection<string> alertIds)
    {
        await using var c = await ConnectAsync();
        var found = new Dictionary<string, Assignment>(StringComparer.Ordinal);
        foreach (var (inList, args) in InLists(alertIds))
            foreach (var a in await Db.QueryAsync(c, null, $"SELECT alert_id, officer, assigned_by, assigned_at FROM alert_assignments WHERE alert_id IN ({inList})",
                r => new Assignment(r.GetString(0), r.GetString(1), r.GetString(2), Db.ParseTime(r.GetString(3))), args))
                found[a.AlertId] = a;
        return found;
    }

    /// <summary>
    /// The alerts a queue groups into cases: those the filter matches (its <c>Limit</c> is ignored), newest event
    /// first, at most <see cref="QueueCap"/>; <c>Truncated</c> when there were more.
    /// </summary>
    public async Task<(List<StoredAlert> Alerts, bool Truncated)> QueueAlertsAsync(AlertFilter f)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        void Add(string column, string op, object? value)
        {
            if (value is null) return;
            where.Add($"{column} {op} @p{args.Count}");
            args.Add(($"@p{args.Count}", value));
        }
        Add("rule", "=", f.Rule);
        Add("branch_id", "=", f.Branch);
        Add("user_id", "=", f.User);
        Add("state", "=", f.State);
        Add("severity", "=", f.Severity);
        Add("event_time", ">=", f.From is { } from ? Db.Time(from) : null);
        Add("event_time", "<", f.To is { } to ? Db.Time(to) : null);
        if (f.Branches is { } scope)
        {
            var names = scope.Order(StringComparer.Ordinal).Select((b, i) => (Name: $"@s{i}", Value: (object?)b)).ToList();
            where.Add(names.Count == 0 ? "1 = 0" : $"branch_id IN ({string.Join(", ", names.Select(n => n.Name))})");
            args.AddRange(names);
        }
        var sql = AlertColumns + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + $" ORDER BY event_time DESC, alert_id LIMIT {QueueCap + 1}";
        await using var c = await ConnectAsync();
        var alerts = await Db.QueryAsync(c, null, sql, ReadAlert, [.. args]);
        var truncated = alerts.Count > QueueCap;
        if (truncated) alerts.RemoveAt(alerts.Count - 1);
        return (alerts, truncated);
    }

    /// <summary>The branch-days of <paramref name="days"/> on which a branch itself raised an alert (a branch spike), whatever its state.</summary>
    public async Task<HashSet<(string BranchId, string Day)>> BranchAlertDaysAsync(IReadOnlyCollection<string> days)
    {
        await using var c = await ConnectAsync();
        var found = new HashSet<(string, string)>();
        foreach (var (inList, args) in InLists(days))
            foreach (var d in await Db.QueryAsync(c, null, $"SELECT DISTINCT branch_id, day FROM alerts WHERE entity_type = 'branch' AND branch_id IS NOT NULL AND day IN ({inList})",
                r => (r.GetString(0), r.GetString(1)), args))
                found.Add(d);
        return found;
    }

    /// <summary>Every alert of local day <paramref name="day"/> at branch <paramref name="branchId"/> or about user <paramref name="userId"/>: where an alert's case-mates are.</summary>
    public async Task<List<StoredAlert>> AlertsOfDayAsync(string day, string? branchId, string? userId)
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, AlertColumns + " WHERE day = @d AND (branch_id = @b OR user_id = @u) ORDER BY event_time, alert_id", ReadAlert,
            ("@d", day), ("@b", branchId), ("@u", userId));
    }

    /// <summary>Alerts per rule per local day from <paramref name="fromDay"/> to <paramref name="toDay"/> (inclusive; null: open), of <paramref name="branches"/> (null: all).</summary>
    public async Task<List<RuleDay>> RuleDaysAsync(string? fromDay, string? toDay, IReadOnlySet<string>? branches)
    {
        await using var c = await ConnectAsync();
        var rows = await Db.QueryAsync(c, null, "SELECT day, rule, branch_id, COUNT(*) FROM alerts WHERE 1 = 1"
            + (fromDay is null ? "" : " AND day >= @from") + (toDay is null ? "" : " AND day <= @to") + " GROUP BY day, rule, branch_id", r => (Day: r.GetString(0), Rule: r.GetString(1), Branch: Db.Text(r, 2), Count: r.GetInt64(3)), ("@from", fromDay), ("@to", toDay));
        return [.. rows.Where(r => branches is null || (r.Branch is not null && branches.Contains(r.Branch)))
            .GroupBy(r => (r.Day, r.Rule)).Select(g => new RuleDay(g.Key.Day, g.Key.Rule, g.Sum(r => r.Count)))
            .OrderBy(r => r.Day, StringComparer.Ordinal).ThenBy(r => r.Rule, StringComparer.Ordinal)];
    }

    /// <summary>The user's reads on each closed local day (one row per day and branch), oldest first.</summary>
    public async Task<List<UserReads>> UserReadsAsync(string userId)
    {
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, "SELECT day, branch_id, body FROM user_days WHERE user_id = @u ORDER BY day, branch_id",
            r => new UserReads(r.GetString(0), r.GetString(1), JsonSerializer.Deserialize<UserDay>(r.GetString(2), DayJson)!.ReadsTotal), ("@u", userId));
    }

    /// <summary>An IN list of parameters per chunk of <paramref name="values"/> (none for none), so that no statement holds too many.</summary>
    private static IEnumerable<(string InList, (string, object?)[] Args)> InLists(IReadOnlyCollection<string> values)
    {
        foreach (var chunk in values.Distinct(StringComparer.Ordinal).Chunk(500))
            yield return (string.Join(", ", chunk.Select((_, i) => $"@v{i}")), chunk.Select((v, i) => ($"@v{i}", (object?)v)).ToArray());
    }
}
