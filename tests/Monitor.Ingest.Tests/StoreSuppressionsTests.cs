using Microsoft.Data.Sqlite;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

/// <summary>
/// The store's suppressions reach the settings in force (and through them the graph) beside the settings file's:
/// each as the time it covers, the graph told only when they changed, a reload of the file keeping them.
/// </summary>
public sealed class StoreSuppressionsTests : IDisposable
{
    private static readonly DateTimeOffset Made = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("monitor-store-suppressions-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static StoredSuppression Row(long id, DateTimeOffset until, DateTimeOffset? endedAt = null) =>
        new(id, RuleIds.OffHours, "user", "Q1", "night project", "analyst-li", Made, until, endedAt is null ? null : "analyst-li", endedAt,
            endedAt is null ? null : "project over", endedAt is null ? StoredSuppression.Active : StoredSuppression.Ended);

    [Fact]
    public void Each_row_covers_from_when_it_was_made_to_its_expiry_or_its_early_end_oldest_first()
    {
        var rows = new[]
        {
            Row(3, Made.AddDays(5), endedAt: Made.AddHours(2)),
            Row(1, Made.AddDays(1)),
            Row(4, Made.AddDays(5), endedAt: Made.AddDays(9)), // ended after it had expired (never through the API): its expiry stands
        };
        var detection = StoreSuppressions.ToDetection(rows);
        Assert.Equal([1L, 3L, 4L], detection.Select(s => s.StoreId!.Value));
        Assert.All(detection, s => Assert.Equal(Made, s.From));
        Assert.Equal([Made.AddDays(1), Made.AddHours(2), Made.AddDays(5)], detection.Select(s => s.Until));
        Assert.Equal(("OFF_HOURS", "user", "Q1", "night project", "analyst-li"), (detection[0].Rule, detection[0].EntityType, detection[0].EntityId, detection[0].Reason, detection[0].By));
    }

    [Fact]
    public void The_settings_in_force_tell_the_graph_of_changed_stored_suppressions_once_and_a_file_reload_keeps_them()
    {
        var file = new Suppression { Rule = RuleIds.OffHours, EntityType = "user", EntityId = "Q9", Until = Made.AddDays(30), Reason = "night project", By = "li" };
        var inForce = new SettingsInForce(new DetectionSettings { Suppressions = [file] });
        var told = new List<DetectorSnapshot>();
        inForce.Changed += told.Add;
        var stored = StoreSuppressions.ToDetection([Row(1, Made.AddDays(1))]);

        Assert.True(inForce.UseStored(stored));
        Assert.False(inForce.UseStored(StoreSuppressions.ToDetection([Row(1, Made.AddDays(1))]))); // the same again: nobody is told
        Assert.Single(told);
        Assert.Equal(["Q9", "Q1"], told[0].Suppressions.Entries.Select(s => s.EntityId));

        inForce.Replace(new DetectionSettings { Volume = new VolumeThresholds { UserDaily = 40 } }); // the file's entry removed, a threshold changed
        Assert.Equal(40, inForce.Settings.Volume.UserDaily);
        Assert.Equal(["Q1"], inForce.Current.Suppressions.Entries.Select(s => s.EntityId));
        Assert.Same(inForce.Current, told[^1]);

        Assert.True(inForce.UseStored([]));
        Assert.Empty(inForce.Current.Suppressions.Entries);
        Assert.Equal(40, inForce.Settings.Volume.UserDaily);
    }

    [Fact]
    public async Task A_refresh_reads_the_store_and_an_early_end_shortens_what_the_detectors_hold()
    {
        var clock = new FixedClock(Made);
        var store = await AlertStore.OpenAsync(Path.Combine(_dir, "monitor.db"), clock);
        var inForce = new SettingsInForce(new DetectionSettings());
        var told = new List<DetectorSnapshot>();
        inForce.Changed += told.Add;
        var refresher = new StoreSuppressions(store, inForce, _ => { });
        var analyst = new Actor("analyst-li", "analyst");

        Assert.False(await refresher.RefreshAsync()); // none in the store, none before
        var made = (await store.SuppressAsync(new NewSuppression(RuleIds.OffHours, "user", "Q1", "night project", Made.AddDays(7)), analyst)).Value!;
        Assert.True(await refresher.RefreshAsync());
        Assert.False(await refresher.RefreshAsync());
        var held = Assert.Single(inForce.Current.Stored);
        Assert.Equal((made.Id, Made, Made.AddDays(7)), (held.StoreId!.Value, held.From!.Value, held.Until));

        clock.Now = Made.AddHours(3);
        await store.EndSuppressionAsync(made.Id, analyst, "the project ended early");
        Assert.True(await refresher.RefreshAsync());
        Assert.Equal(Made.AddHours(3), Assert.Single(inForce.Current.Stored).Until); // still there, covering its own time only
        Assert.Equal(2, told.Count);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_leaves_the_last_suppressions_in_force_and_is_said_once()
    {
        var path = Path.Combine(_dir, "gone.db");
        var store = await AlertStore.OpenAsync(path, new FixedClock(Made));
        await store.SuppressAsync(new NewSuppression(RuleIds.OffHours, "user", "Q1", "night project", Made.AddDays(7)), new Actor("analyst-li", "analyst"));
        var inForce = new SettingsInForce(new DetectionSettings());
        var said = new List<string>();
        var refresher = new StoreSuppressions(store, inForce, said.Add);
        Assert.True(await refresher.RefreshAsync());

        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f); // the next connection finds an empty file
        Assert.False(await refresher.RefreshAsync());
        Assert.False(await refresher.RefreshAsync());
        Assert.Single(inForce.Current.Stored);
        Assert.StartsWith("suppressions: cannot read them from the alert store (SqliteException: ", Assert.Single(said));
    }
}
