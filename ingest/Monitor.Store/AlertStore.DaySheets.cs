using System.Data.Common;
using System.Text.Json;
using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>The daily verification sheets' side of the store: users' closed days, and a branch's day read back whole.</summary>
public sealed partial class AlertStore
{
    private static readonly JsonSerializerOptions DayJson = new(JsonSerializerDefaults.Web);

    /// <summary>A closed day is final: recording it again (a redelivery, a replay) writes the same figures.</summary>
    private static Task<int> UpsertUserDay(DbConnection c, DbTransaction tx, UserDay d, string now) =>
        Db.ExecAsync(c, tx, """
            INSERT INTO user_days (branch_id, day, user_id, body, recorded_at) VALUES (@b, @d, @u, @body, @at)
            ON CONFLICT (branch_id, day, user_id) DO UPDATE SET body = excluded.body
            """, ("@b", d.BranchId), ("@d", d.Day), ("@u", d.UserId), ("@body", JsonSerializer.Serialize(d, DayJson)), ("@at", now));

    /// <summary>
    /// Branch <paramref name="branchId"/>'s local day <paramref name="day"/> (yyyy-MM-dd): every user's closed day
    /// recorded for it, by user id, and every alert of that day on the branch or its users, by event time.
    /// </summary>
    public async Task<(List<UserDay> Users, List<StoredAlert> Alerts)> BranchDayAsync(string branchId, string day)
    {
        await using var c = await ConnectAsync();
        var users = await Db.QueryAsync(c, null, "SELECT body FROM user_days WHERE branch_id = @b AND day = @d ORDER BY user_id",
            r => JsonSerializer.Deserialize<UserDay>(r.GetString(0), DayJson)!, ("@b", branchId), ("@d", day));
        var alerts = await Db.QueryAsync(c, null, AlertColumns + " WHERE branch_id = @b AND day = @d ORDER BY event_time, alert_id", ReadAlert,
            ("@b", branchId), ("@d", day));
        return (users, alerts);
    }
}
