using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>
/// The lists of the officers' API as pages (<see cref="Page{T}"/>): alerts, suspensions, labels and the audit log, each
/// with the total its filter matches and a cursor on its sort keys, so a console can page through a long queue and
/// show "1–100 of 2,345" without counting rows itself.
/// </summary>
public sealed partial class AlertStore
{
    /// <summary>Alerts newest event first (ties by id), filtered; <see cref="AlertFilter.Cursor"/> continues a listing.</summary>
    public async Task<Page<StoredAlert>> AlertsPageAsync(AlertFilter f)
    {
        var q = new Where();
        q.Add("rule", "=", f.Rule);
        q.Add("branch_id", "=", f.Branch);
        q.In("branch_id", f.Branches);
        q.Add("user_id", "=", f.User);
        q.Add("entity_type", "=", f.EntityType);
        q.Add("entity_id", "=", f.EntityId);
        q.Add("state", "=", f.State);
        q.Add("severity", "=", f.Severity);
        q.Add("event_time", ">=", f.From is { } from ? Db.Time(from) : null);
        q.Add("event_time", "<", f.To is { } to ? Db.Time(to) : null);
        var limit = Math.Clamp(f.Limit, 1, 1000);
        var after = f.Cursor is null ? null : PageCursor.Keys(f.Cursor, 2) ?? throw new BadCursorException("not a cursor of this alert listing");
        await using var c = await ConnectAsync();
        var total = await CountAsync(c, "alerts", q);
        if (after is not null) q.Raw("(event_time < @ct OR (event_time = @ct AND alert_id > @ci))", ("@ct", after[0]), ("@ci", after[1]));
        var rows = await Db.QueryAsync(c, null, AlertColumns.Replace(" FROM alerts", ", event_time, alert_id FROM alerts", StringComparison.Ordinal) + q.Sql + $" ORDER BY event_time DESC, alert_id LIMIT {limit + 1}",
            r => (Alert: ReadAlert(r), Time: r.GetString(5), Id: r.GetString(6)), q.Args);
        return Paged(rows, limit, total, x => x.Alert, x => PageCursor.Of(x.Time, x.Id));
    }

    /// <summary>The monitor's suspensions newest first (ties by user), of <paramref name="branches"/> when given.</summary>
    public async Task<Page<Suspension>> SuspensionsPageAsync(bool? active, string? branch, IReadOnlySet<string>? branches, int limit, string? cursor)
    {
        var q = new Where();
        q.Add("active", "=", active is null ? null : active.Value ? 1 : 0);
        q.Add("branch_id", "=", branch);
        q.In("branch_id", branches);
        limit = Math.Clamp(limit, 1, 1000);
        var after = cursor is null ? null : PageCursor.Keys(cursor, 2) ?? throw new BadCursorException("not a cursor of this suspension listing");
        await using var c = await ConnectAsync();
        var total = await CountAsync(c, "suspensions", q);
        if (after is not null) q.Raw("(since < @cs OR (since = @cs AND user_id > @cu))", ("@cs", after[0]), ("@cu", after[1]));
        var rows = await Db.QueryAsync(c, null, SuspensionColumns.Replace(" FROM suspensions", ", since FROM suspensions", StringComparison.Ordinal) + q.Sql + $" ORDER BY since DESC, user_id LIMIT {limit + 1}",
            r => (Suspension: ReadSuspension(r), Since: r.GetString(10)), q.Args);
        return Paged(rows, limit, total, x => x.Suspension, x => PageCursor.Of(x.Since, x.Suspension.UserId));
    }

    /// <summary>The officers' verdicts oldest first (ties by alert).</summary>
    public async Task<Page<Label>> LabelsPageAsync(string? rule, int limit, string? cursor)
    {
        var q = new Where();
        q.Add("rule", "=", rule);
        limit = Math.Clamp(limit, 1, 10000);
        var after = cursor is null ? null : PageCursor.Keys(cursor, 2) ?? throw new BadCursorException("not a cursor of this label listing");
        await using var c = await ConnectAsync();
        var total = await CountAsync(c, "labels", q);
        if (after is not null) q.Raw("(labelled_at > @ca OR (labelled_at = @ca AND alert_id > @ci))", ("@ca", after[0]), ("@ci", after[1]));
        var rows = await Db.QueryAsync(c, null,
            "SELECT alert_id, rule, entity_type, entity_id, label, reason, labelled_by, labelled_at FROM labels" + q.Sql + $" ORDER BY labelled_at, alert_id LIMIT {limit + 1}",
            r => (Label: new Label(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Db.Text(r, 5), r.GetString(6), Db.ParseTime(r.GetString(7))),
                At: r.GetString(7)), q.Args);
        return Paged(rows, limit, total, x => x.Label, x => PageCursor.Of(x.At, x.Label.AlertId));
    }

    /// <summary>The audit log after sequence number <paramref name="after"/>, oldest first; the total counts every row.</summary>
    public async Task<Page<AuditEntry>> AuditPageAsync(long after, int limit)
    {
        limit = Math.Clamp(limit, 1, 10000);
        await using var c = await ConnectAsync();
        var total = await CountAsync(c, "audit", new Where());
        var rows = await Db.QueryAsync(c, null,
            $"SELECT seq, at, actor, role, action, target, reason, detail FROM audit WHERE seq > @after ORDER BY seq LIMIT {limit + 1}",
            r => new AuditEntry(r.GetInt64(0), Db.ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Db.Text(r, 6), Db.Text(r, 7)), ("@after", after));
        return Paged(rows, limit, total, x => x, x => x.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Page<T> Paged<TRow, T>(List<TRow> rows, int limit, long total, Func<TRow, T> item, Func<TRow, string> cursor) =>
        new([.. rows.Take(limit).Select(item)], total, rows.Count > limit ? cursor(rows[limit - 1]) : null);

    private static async Task<long> CountAsync(System.Data.Common.DbConnection c, string table, Where q) =>
        (await Db.QueryAsync(c, null, $"SELECT COUNT(*) FROM {table}" + q.Sql, r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), q.Args))[0];

    /// <summary>A WHERE clause built from the filters given (null values do not filter), with its parameters.</summary>
    private sealed class Where
    {
        private readonly List<string> _terms = [];
        private readonly List<(string, object?)> _args = [];

        public string Sql => _terms.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _terms);

        public (string, object?)[] Args => [.. _args];

        public void Add(string column, string op, object? value)
        {
            if (value is null) return;
            _terms.Add($"{column} {op} @p{_args.Count}");
            _args.Add(($"@p{_args.Count}", value));
        }

        /// <summary>The column in <paramref name="values"/>; nothing matches an empty set; null does not filter.</summary>
        public void In(string column, IReadOnlySet<string>? values)
        {
            if (values is null) return;
            var names = values.Order(StringComparer.Ordinal).Select((v, i) => (Name: $"@s{_args.Count + i}", Value: (object?)v)).ToList();
            _terms.Add(names.Count == 0 ? "1 = 0" : $"{column} IN ({string.Join(", ", names.Select(n => n.Name))})");
            _args.AddRange(names.Select(n => (n.Name, n.Value)));
        }

        public void Raw(string term, params (string, object?)[] args)
        {
            _terms.Add(term);
            _args.AddRange(args);
        }
    }
}
