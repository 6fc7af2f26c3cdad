using Microsoft.Data.Sqlite;
using Monitor.Contracts;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor replay --store S</c> over a store holding an analyst's suppression: the replay is judged by it as
/// the live run was, each finding by its own event time (before the suppression was made, within it, after it).
/// </summary>
public sealed class SuppressionReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("monitor-suppression-replay-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_replay_into_a_store_is_judged_by_its_suppressions_each_finding_by_its_own_time()
    {
        var db = Path.Combine(_dir, "monitor.db");
        var store = await AlertStore.OpenAsync(db, new FixedClock(Ev.At(2026, 3, 2, 8))); // made at 08:00, for six hours
        await store.SuppressAsync(new NewSuppression(RuleIds.NoAuthorization, "user", "Q7001", "paperless authorization pilot", Ev.At(2026, 3, 2, 14)),
            new Actor("analyst-li", "analyst"));
        SqliteConnection.ClearAllPools();

        QueryLogEvent Unauthorised(string user, int hour, string id) => Ev.Query(user, Ev.At(2026, 3, 2, hour), id: id) with { AuthorizationId = null, AuthorizedAt = null };
        var events = Path.Combine(_dir, "events.jsonl");
        await File.WriteAllLinesAsync(events, new[]
        {
            Unauthorised("Q7001", 7, "ev-before"),   // before it was made: counted in the alert
            Unauthorised("Q7001", 9, "ev-within"),   // covered
            Unauthorised("Q7002", 9, "ev-other"),    // another user: an alert of its own
            Unauthorised("Q7001", 15, "ev-after"),   // after its expiry: counted again
        }.Select(EventJson.Serialize));
        var alertsFile = Path.Combine(_dir, "alerts.jsonl");
        var (code, stderr) = await Cli.Run("replay", "--input", events, "--output", alertsFile, "--store", db);
        Assert.True(code == 0, stderr);

        var latest = File.ReadLines(alertsFile).Select(OutputJson.ParseAlert).Where(a => a.Rule == RuleIds.NoAuthorization)
            .GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).OrderBy(a => a.UserId, StringComparer.Ordinal).ToList();
        Assert.Equal(["Q7001", "Q7002"], latest.Select(a => a.UserId));
        Assert.Equal(["ev-before", "ev-after"], latest[0].Evidence);
        Assert.Equal(2, latest[0].Count);
    }
}
