using Monitor.Detectors.Pipeline;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class BranchDirectoryTests
{
    private static BranchDirectory Bank()
    {
        var d = new BranchDirectory();
        d.Learn("SB010101", "SB0101");
        d.Learn("SB0101", "SB01");
        d.Learn("SB01", "HQ");
        d.Learn("SB0101", "SB99"); // what the events showed first stays
        return d;
    }

    private static List<string> ChainOf(BranchDirectory d, string branch)
    {
        var chain = new List<string>();
        d.Chain(branch, chain);
        return chain;
    }

    [Fact]
    public void A_branchs_chain_is_itself_then_its_ancestors_nearest_first_and_the_first_parent_learned_stays()
    {
        Assert.Equal(["SB010101", "SB0101", "SB01", "HQ"], ChainOf(Bank(), "SB010101"));
        Assert.Equal(["XX"], ChainOf(Bank(), "XX"));
    }

    [Fact]
    public void A_cycle_in_bad_data_stops_the_walk()
    {
        var d = new BranchDirectory();
        d.Learn("A", "B");
        d.Learn("B", "A");
        Assert.Equal(["A", "B"], ChainOf(d, "A"));
        Assert.False(d.IsWithin("A", "C"));
    }

    [Fact]
    public void A_branch_is_within_itself_and_its_ancestors_but_not_a_sibling_or_a_descendant()
    {
        var d = Bank();
        d.Learn("SB0102", "SB01");
        Assert.True(d.IsWithin("SB010101", "SB010101"));
        Assert.True(d.IsWithin("SB010101", "HQ"));
        Assert.False(d.IsWithin("SB0101", "SB0102"));
        Assert.False(d.IsWithin("SB01", "SB0101"));
    }

    [Fact]
    public void A_restored_directory_knows_every_parent()
    {
        var original = Bank();
        var fresh = new BranchDirectory();
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        Assert.Equal(ChainOf(original, "SB010101"), ChainOf(fresh, "SB010101"));
    }
}
