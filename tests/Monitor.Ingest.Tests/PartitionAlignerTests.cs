using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

public sealed class PartitionAlignerTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private PartitionAligner<string> Aligner(params int[] assigned)
    {
        var a = new PartitionAligner<string>(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), _clock);
        a.Assign(assigned);
        return a;
    }

    [Fact]
    public void A_partition_delivering_before_the_others_have_is_held_until_they_do()
    {
        var a = Aligner(0, 1);
        Assert.False(a.Admit(0, Day, "p0 08:00"));
        Assert.Empty(a.Release());
        Assert.True(a.Admit(1, Day.AddMinutes(5), "p1 08:05"));
        Assert.Equal([(0, "p0 08:00")], a.Release());
    }

    [Fact]
    public void A_partition_a_day_ahead_waits_for_the_slow_one_and_goes_on_when_it_is_within_the_skew()
    {
        var a = Aligner(0, 1);
        Assert.False(a.Admit(1, Day, "p1 day 1"));
        Assert.True(a.Admit(0, Day.AddMinutes(30), "p0 08:30"));
        Assert.Equal([(1, "p1 day 1")], a.Release());
        Assert.False(a.Admit(0, Day.AddDays(1), "p0 day 2"));
        Assert.True(a.Admit(1, Day.AddHours(20), "p1 04:00 next day"));
        Assert.Empty(a.Release());
        Assert.True(a.Admit(1, Day.AddHours(23), "p1 07:00 next day"));
        Assert.Equal([(0, "p0 day 2")], a.Release());
    }

    [Fact]
    public void The_slowest_partition_is_never_held_so_the_consumer_cannot_stall()
    {
        var a = Aligner(0, 1, 2);
        Assert.False(a.Admit(0, Day.AddDays(3), "p0"));
        Assert.False(a.Admit(1, Day.AddDays(2), "p1"));
        Assert.True(a.Admit(2, Day, "p2 is the slowest"));
        Assert.Empty(a.Release());
        a.AtEnd(2); // the slow partition has nothing more for now: the oldest held one goes, then the next
        Assert.Equal([(1, "p1")], a.Release());
        Assert.True(a.Admit(1, Day.AddDays(2).AddMinutes(10), "p1 next"));
        a.AtEnd(1);
        Assert.Equal([(0, "p0")], a.Release());
    }

    [Fact]
    public void A_partition_silent_past_the_idle_time_no_longer_holds_the_others()
    {
        var a = Aligner(0, 1);
        Assert.False(a.Admit(0, Day, "p0"));
        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal([(0, "p0")], a.Release());
        Assert.True(a.Admit(0, Day.AddDays(1), "p0 still alone"));
    }

    [Fact]
    public void Unreadable_messages_go_straight_on_and_a_revoked_partition_s_held_message_is_dropped()
    {
        var a = Aligner(0, 1);
        Assert.True(a.Admit(0, null, "garbage"));
        Assert.False(a.Admit(0, Day, "p0"));
        Assert.Equal([0], a.Revoke([0]));
        Assert.Equal(0, a.Held);
        Assert.True(a.Admit(1, Day, "p1 alone now"));
    }
}
