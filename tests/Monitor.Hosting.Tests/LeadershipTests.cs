using Monitor.Hosting.Cluster;
using Xunit;

namespace Monitor.Hosting.Tests;

public sealed class LeadershipTests
{
    [Fact]
    public async Task A_node_waits_until_the_lease_comes_to_it()
    {
        var leadership = new Leadership();
        Assert.False(leadership.Gained.IsCompleted);
        leadership.Gain();
        await leadership.Gained.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(leadership.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_hand_over_tells_the_pipeline_to_stop_and_completes_only_once_it_has()
    {
        var leadership = new Leadership();
        leadership.Gain();
        var lost = leadership.Lost;
        var released = leadership.Release();
        Assert.True(lost.IsCancellationRequested);
        Assert.False(released.IsCompleted); // the next node must not begin while this one still checkpoints
        leadership.Stopped();
        await released.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task After_a_hand_over_the_node_stands_by_and_can_lead_again()
    {
        var leadership = new Leadership();
        leadership.Gain();
        var released = leadership.Release();
        leadership.Stopped();
        await released;
        Assert.False(leadership.Gained.IsCompleted);
        Assert.False(leadership.Lost.IsCancellationRequested);
        leadership.Gain();
        await leadership.Gained.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_release_of_a_node_that_never_led_completes_at_once()
    {
        var leadership = new Leadership();
        Assert.True(leadership.Release().IsCompleted);
        Assert.False(leadership.Lost.IsCancellationRequested);
    }

    [Fact]
    public void Reopening_reaches_the_running_pipeline_and_is_refused_while_none_runs()
    {
        var leadership = new Leadership();
        Assert.False(leadership.Reopen("SB0101"));
        var reopened = new List<string>();
        leadership.Serve(reopened.Add);
        Assert.True(leadership.Reopen("SB0101"));
        leadership.Serve(null);
        Assert.False(leadership.Reopen("SB0102"));
        Assert.Equal(["SB0101"], reopened);
    }
}
