using Monitor.Contracts.State;
using Monitor.Testing;
using Xunit;

namespace Monitor.Models.Tests;

public sealed class TrainingSetStateTests
{
    /// <summary>Windows of users in three nested groups (each window in all three queues), some not trainable.</summary>
    private static List<ClosedWindow> Windows(int days, int seed)
    {
        var random = new Random(seed);
        var groups = new Dictionary<int, string[]>();
        var list = new List<ClosedWindow>();
        for (var d = 0; d < days; d++)
            for (var u = 0; u < 12; u++)
            {
                var g = groups.TryGetValue(u % 3, out var x) ? x : groups[u % 3] = new[] { $"u:SB0{u % 3}:clerk", "u:BR01:clerk", "u:*:clerk" };
                list.Add(new ClosedWindow($"U{u}", g, 20_000 + d, [(float)random.NextDouble(), (float)(random.NextDouble() * 3), 1], random.Next(10) > 0));
            }
        return list;
    }

    [Fact]
    public void A_restored_training_set_holds_the_same_windows_per_group_in_order_and_trains_the_same_models()
    {
        var windows = Windows(40, seed: 1);
        var original = new TrainingSet(days: 28, maxRows: 300);
        foreach (var w in windows.Take(400)) original.Add(w);

        var fresh = new TrainingSet(days: 28, maxRows: 300);
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        foreach (var w in windows.Skip(400))
        {
            original.Add(w);
            fresh.Add(w);
        }
        Assert.Equal(original.Rows, fresh.Rows);
        Assert.Equal(original.NewestDay, fresh.NewestDay);
        Assert.Equal(original.Added, fresh.Added);
        var a = PeerModelBuilder.Build("v", original.NewestDay, ["a", "b", "c"], original.Snapshot(), minRows: 50, rank: 1);
        var b = PeerModelBuilder.Build("v", fresh.NewestDay, ["a", "b", "c"], fresh.Snapshot(), minRows: 50, rank: 1);
        Assert.Equal(5, a.Models.Count); // three branches, the parent, the bank
        double[] probe = [0.9, 2.5, 1];
        foreach (var (group, model) in a.Models) Assert.Equal(model.Score(probe), b.Models[group].Score(probe));
    }

    [Fact]
    public void A_window_in_several_groups_is_saved_once_and_shared_again_after_the_restore()
    {
        var set = new TrainingSet();
        foreach (var w in Windows(3, seed: 2)) set.Add(w);
        using var w1 = new StateWriter();
        set.Save(w1);
        var fresh = new TrainingSet();
        fresh.Restore(StateReader.Open(w1.ToArray()));
        var snapshot = fresh.Snapshot();
        Assert.Same(snapshot["u:SB00:clerk"][0], snapshot["u:*:clerk"].First(x => x.EntityId == snapshot["u:SB00:clerk"][0].EntityId && x.Day == snapshot["u:SB00:clerk"][0].Day));
        Assert.Same(snapshot["u:SB00:clerk"][0].Groups, snapshot["u:SB00:clerk"][1].Groups);
    }

    [Fact]
    public void A_training_set_snapshot_cut_short_is_refused()
    {
        var set = new TrainingSet();
        foreach (var w in Windows(3, seed: 3)) set.Add(w);
        using var w1 = new StateWriter();
        set.Save(w1);
        var bytes = w1.ToArray();
        Assert.Throws<StateFormatException>(() => new TrainingSet().Restore(StateReader.Open(bytes[..^5])));
    }
}
