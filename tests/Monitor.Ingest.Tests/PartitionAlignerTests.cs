using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

public sealed class PartitionAlignerTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<int> _resume = [];

    private PartitionAligner<string> Aligner(int maxHeld, params int[] assigned)
    {
        var a = new PartitionAligner<string>(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), _clock, maxHeld);
        a.Assign(assigned);
        return a;
    }

    private bool Admit(PartitionAligner<string> a, int partition, DateTimeOffset? time, string item) => a.Admit(partition, time, item, out _);

    private List<(int, string)> Release(PartitionAligner<string> a) => a.Release(_resume);

    [Fact]
    public void A_partition_delivering_before_the_others_have_waits_until_they_do()
    {
        var a = Aligner(100, 0, 1);
        Assert.False(Admit(a, 0, Day, "p0 08:00"));
        Assert.Empty(Release(a));
        Assert.True(Admit(a, 1, Day.AddMinutes(5), "p1 08:05"));
        Assert.Equal([(0, "p0 08:00")], Release(a));
    }

    [Fact]
    public void A_partition_a_day_ahead_waits_in_order_and_goes_on_as_the_slow_one_catches_up()
    {
        var a = Aligner(100, 0, 1);
        Assert.False(Admit(a, 1, Day, "p1 day 1"));
        Assert.True(Admit(a, 0, Day.AddMinutes(30), "p0 08:30"));
        Assert.Equal([(1, "p1 day 1")], Release(a));
        Assert.False(Admit(a, 0, Day.AddDays(1), "p0 day 2 08:00"));
        Assert.False(Admit(a, 0, Day.AddDays(1).AddHours(3), "p0 day 2 11:00"));
        Assert.False(Admit(a, 0, Day.AddMinutes(40), "p0 08:40, behind its own waiting messages")); // order within a partition holds
        Assert.True(Admit(a, 1, Day.AddHours(20), "p1 04:00 next day"));
        Assert.Empty(Release(a));
        Assert.True(Admit(a, 1, Day.AddHours(23), "p1 07:00 next day"));
        Assert.Equal([(0, "p0 day 2 08:00")], Release(a));
        a.AtEnd(1);
        Assert.Equal([(0, "p0 day 2 11:00"), (0, "p0 08:40, behind its own waiting messages")], Release(a));
    }

    [Fact]
    public void The_slowest_partition_always_goes_on_so_the_consumer_cannot_stall()
    {
        var a = Aligner(100, 0, 1, 2);
        Assert.False(Admit(a, 0, Day.AddDays(3), "p0"));
        Assert.False(Admit(a, 1, Day.AddDays(2), "p1"));
        Assert.True(Admit(a, 2, Day, "p2 is the slowest"));
        Assert.Empty(Release(a));
        a.AtEnd(2); // the slow partition has nothing more for now: the oldest waiting one goes...
        Assert.Equal([(1, "p1")], Release(a));
        a.AtEnd(1); // ...and the next once that one's partition has nothing more either
        Assert.Equal([(0, "p0")], Release(a));
    }

    [Fact]
    public void A_partition_with_too_many_waiting_is_paused_and_resumed_when_half_have_gone()
    {
        var a = Aligner(4, 0, 1);
        Assert.False(Admit(a, 0, Day, "p0"));
        Assert.True(Admit(a, 1, Day, "p1"));
        Assert.Single(Release(a));
        var pauses = 0;
        for (var i = 0; i < 4; i++)
        {
            Assert.False(a.Admit(0, Day.AddDays(1).AddMinutes(i), $"p0 {i}", out var pause));
            if (pause) pauses++;
        }
        Assert.Equal(1, pauses);
        Assert.True(Admit(a, 1, Day.AddDays(1), "p1 next day"));
        Assert.Equal(4, Release(a).Count);
        Assert.Equal([0], _resume);
    }

    [Fact]
    public void A_partition_silent_past_the_idle_time_no_longer_holds_the_others()
    {
        var a = Aligner(100, 0, 1);
        Assert.False(Admit(a, 0, Day, "p0"));
        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal([(0, "p0")], Release(a));
        Assert.True(Admit(a, 0, Day.AddDays(1), "p0 still alone"));
    }

    [Fact]
    public void Unreadable_messages_go_straight_on_and_a_revoked_partition_s_waiting_messages_are_dropped()
    {
        var a = Aligner(1, 0, 1);
        Assert.True(Admit(a, 0, null, "garbage"));
        Assert.False(Admit(a, 0, Day, "p0"));
        Assert.Equal([0], a.Revoke([0]));
        Assert.Equal(0, a.Held);
        Assert.True(Admit(a, 1, Day, "p1 alone now"));
    }
}
