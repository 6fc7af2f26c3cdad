using System.Text.Json;
using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>What the monthly compliance summary reads: one month's closed days, sheets, alerts, verdicts and suspensions.</summary>
public sealed partial class AlertStore
{
    /// <summary>
    /// Month <paramref name="month"/> (yyyy-MM) as the store holds it: every user's closed day, every sheet with its
    /// sign-off, alerts counted by branch, rule and state, the verdicts given on sheets (with the finding's rule), and
    /// the suspensions that began or ended in it.
    /// </summary>
    public async Task<MonthFigures> MonthAsync(string month)
    {
        var like = month + "-%";
        var (from, to) = (month + "-01", NextMonth(month) + "-01");
        await using var c = await ConnectAsync();
        var days = await Db.QueryAsync(c, null, "SELECT body FROM user_days WHERE day LIKE @m ORDER BY day, branch_id, user_id",
            r => JsonSerializer.Deserialize<UserDay>(r.GetString(0), DayJson)!, ("@m", like));
        var sheets = await Db.QueryAsync(c, null, """
            SELECT u.branch_id, u.day, MAX(s.signed_at), COALESCE(MAX(s.escalation), 0) FROM user_days u
            LEFT JOIN sheets s ON s.branch_id = u.branch_id AND s.day = u.day
            WHERE u.day LIKE @m GROUP BY u.branch_id, u.day ORDER BY u.day, u.branch_id
            """, r => new MonthSheet(r.GetString(0), r.GetString(1), Db.OptionalTime(r, 2), r.GetInt32(3)), ("@m", like));
        var alerts = await Db.QueryAsync(c, null, "SELECT COALESCE(branch_id, ''), rule, state, COUNT(*) FROM alerts WHERE day LIKE @m GROUP BY branch_id, rule, state",
            r => new MonthAlerts(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3)), ("@m", like));
        // The verdict that stands: the latest correction of an item, else the verdict signed.
        var verdicts = await Db.QueryAsync(c, null, """
            SELECT v.branch_id, v.item_id, COALESCE((SELECT x.verdict FROM sheet_corrections x WHERE x.branch_id = v.branch_id AND x.day = v.day
                AND x.item_id = v.item_id ORDER BY x.seq DESC LIMIT 1), v.verdict), a.rule
            FROM sheet_verdicts v LEFT JOIN alerts a ON v.item_id = 'finding:' || a.alert_id
            WHERE v.day LIKE @m
            """, r => new MonthVerdict(r.GetString(0), r.GetString(1), r.GetString(2), Db.Text(r, 3)), ("@m", like));
        var suspensions = await Db.QueryAsync(c, null, SuspensionColumns + " WHERE (since >= @from AND since < @to) OR (ended_at >= @from AND ended_at < @to) ORDER BY since, user_id",
            ReadSuspension, ("@from", from), ("@to", to));
        return new MonthFigures(month, days, sheets, alerts, verdicts, suspensions);
    }

    private static string NextMonth(string month)
    {
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return first.AddMonths(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>One month as the store holds it (<see cref="AlertStore.MonthAsync"/>).</summary>
public sealed record MonthFigures(
    string Month,
    IReadOnlyList<UserDay> Days,
    IReadOnlyList<MonthSheet> Sheets,
    IReadOnlyList<MonthAlerts> Alerts,
    IReadOnlyList<MonthVerdict> Verdicts,
    IReadOnlyList<Suspension> Suspensions);

/// <summary>A sheet of the month: when it was signed (null: not), and how far it was escalated.</summary>
public sealed record MonthSheet(string BranchId, string Day, DateTimeOffset? SignedAt, int Escalation);

/// <summary>How many of the month's alerts of one branch and rule are in one state.</summary>
public sealed record MonthAlerts(string BranchId, string Rule, string State, int Count);

/// <summary>A verdict given on a sheet item of the month, with the finding's rule (null for a spot check).</summary>
public sealed record MonthVerdict(string BranchId, string ItemId, string Verdict, string? Rule);
