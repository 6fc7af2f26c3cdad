using Xunit;

namespace Monitor.Models.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "monitor-models-" + Guid.NewGuid().ToString("N"));

    private static PeerModelSet Set(string version, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 120).Select(i => new ClosedWindow($"u{i % 6}", ["g"], i / 6, [(float)random.NextDouble(), (float)random.NextDouble(), 1], true)).ToList();
        return PeerModelBuilder.Build(version, 20, ["a", "b", "c"], new Dictionary<string, IReadOnlyList<ClosedWindow>> { ["g"] = rows }, rank: 1);
    }

    [Fact]
    public void A_restarted_monitor_reloads_the_newest_saved_models_and_scores_as_before()
    {
        var store = new ModelStore(_dir);
        store.Save(Set("v1", 1));
        Thread.Sleep(20);
        var newest = Set("v2", 2);
        store.Save(newest);
        var loaded = new ModelStore(_dir).LoadLatest();
        Assert.NotNull(loaded);
        Assert.Equal("v2", loaded.Version);
        double[] window = [0.9, 0.1, 1];
        Assert.Equal(newest.Models["g"].Score(window), loaded.Models["g"].Score(window), 12);
    }

    [Fact]
    public void A_damaged_newest_file_falls_back_to_the_version_before()
    {
        var store = new ModelStore(_dir);
        store.Save(Set("v1", 1));
        Thread.Sleep(20);
        File.WriteAllText(Path.Combine(_dir, "peer-models-v2.json"), "{ not json");
        Assert.Equal("v1", store.LoadLatest()?.Version);
    }

    [Fact]
    public void Training_skips_windows_that_raised_alerts_and_groups_too_small_to_be_peers()
    {
        var set = new TrainingSet(days: 28);
        for (var i = 0; i < 200; i++) set.Add(new ClosedWindow($"u{i % 2}", ["pair"], i / 2, [1, 2], Trainable: true));
        set.Add(new ClosedWindow("odd", ["pair"], 99, [50, 50], Trainable: false));
        var snapshot = set.Snapshot();
        Assert.DoesNotContain(snapshot["pair"], w => w.EntityId == "odd");
        Assert.All(snapshot["pair"], w => Assert.True(w.Day > 99 - 28));
        Assert.Empty(PeerModelBuilder.Build("v", 99, ["a", "b"], snapshot, minRows: 10, minMembers: 4).Models); // two members are no peer group
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

public sealed class ModelStoreVersionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "monitor-models-" + Guid.NewGuid().ToString("N"));

    private static PeerModelSet Set(string version, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 120).Select(i => new ClosedWindow($"u{i % 6}", new[] { "g" }, i / 6, [(float)random.NextDouble(), (float)random.NextDouble(), 1], true)).ToList();
        return PeerModelBuilder.Build(version, 20, ["a", "b", "c"], new Dictionary<string, IReadOnlyList<ClosedWindow>> { ["g"] = rows }, rank: 1);
    }

    [Fact]
    public void A_restored_monitor_loads_the_version_in_force_at_its_checkpoint_not_the_newest()
    {
        var store = new ModelStore(_dir);
        var atCheckpoint = Set("d20260310", 1);
        store.Save(atCheckpoint);
        Thread.Sleep(20);
        store.Save(Set("d20260311", 2));
        var loaded = store.Load("d20260310");
        Assert.NotNull(loaded);
        Assert.Equal("d20260310", loaded.Version);
        double[] window = [0.9, 0.1, 1];
        Assert.Equal(atCheckpoint.Models["g"].Score(window), loaded.Models["g"].Score(window));
        Assert.Equal("d20260311", store.LoadLatest()?.Version);
    }

    [Fact]
    public void A_version_that_is_gone_damaged_or_no_file_name_loads_nothing()
    {
        var store = new ModelStore(_dir);
        store.Save(Set("v1", 1));
        Assert.Null(store.Load("v0"));
        Assert.Null(store.Load("../v1"));
        File.WriteAllText(Path.Combine(_dir, "peer-models-v2.json"), "{ not json");
        Assert.Null(store.Load("v2"));
        File.Copy(Path.Combine(_dir, "peer-models-v1.json"), Path.Combine(_dir, "peer-models-v3.json"));
        Assert.Null(store.Load("v3")); // the file says it is v1
        Assert.Throws<ArgumentException>(() => store.Save(Set("a/b", 1)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
