namespace Monitor.Store;

/// <summary>
/// The audit log as an auditor searches it: by time, actor, action and the start of the target, newest first, a page
/// at a time with the number of rows that match; and every matching row, oldest first, for an export.
/// </summary>
public sealed partial class AlertStore
{
    /// <summary>The most rows one export holds; an auditor narrows the range for more.</summary>
    public const int AuditExportCap = 100_000;

    /// <summary>A page of the rows <paramref name="q"/> matches, newest first, and how many match in all.</summary>
    public async Task<AuditPage> SearchAuditAsync(AuditQuery q)
    {
        var (where, args) = AuditWhere(q);
        await using var c = await ConnectAsync();
        var total = (await Db.QueryAsync(c, null, "SELECT COUNT(*) FROM audit" + where, r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), args))[0];
        var page = q.Before is { } before ? where + (where.Length == 0 ? " WHERE" : " AND") + " seq < @before" : where;
        var entries = await Db.QueryAsync(c, null,
            $"SELECT seq, at, actor, role, action, target, reason, detail FROM audit{page} ORDER BY seq DESC LIMIT {Math.Clamp(q.Limit, 1, 1000)}",
            ReadAuditEntry, q.Before is null ? args : [.. args, ("@before", q.Before)]);
        return new AuditPage(entries, total);
    }

    /// <summary>Every row <paramref name="q"/> matches (its paging ignored), oldest first, at most <see cref="AuditExportCap"/> and one more to tell there were more.</summary>
    public async Task<List<AuditEntry>> ExportAuditAsync(AuditQuery q)
    {
        var (where, args) = AuditWhere(q with { Before = null });
        await using var c = await ConnectAsync();
        return await Db.QueryAsync(c, null, $"SELECT seq, at, actor, role, action, target, reason, detail FROM audit{where} ORDER BY seq LIMIT {AuditExportCap + 1}",
            ReadAuditEntry, args);
    }

    private static (string Where, (string, object?)[] Args) AuditWhere(AuditQuery q)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        void Add(string condition, string name, object? value)
        {
            if (value is null) return;
            where.Add(condition);
            args.Add((name, value));
        }
        Add("at >= @from", "@from", q.From is { } from ? Db.Time(from) : null);
        Add("at < @to", "@to", q.To is { } to ? Db.Time(to) : null);
        Add("actor = @actor", "@actor", q.Actor);
        Add("action = @action", "@action", q.Action);
        // The target's start, matched literally: LIKE's wildcards in it are escaped.
        Add("target LIKE @target ESCAPE '\\'", "@target", q.Target is { } t ? t.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%" : null);
        return (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where), [.. args]);
    }

    private static AuditEntry ReadAuditEntry(System.Data.Common.DbDataReader r) =>
        new(r.GetInt64(0), Db.ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Db.Text(r, 6), Db.Text(r, 7));
}
