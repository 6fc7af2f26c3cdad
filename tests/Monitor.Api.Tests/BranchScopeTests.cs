using Monitor.Store;
using Xunit;

namespace Monitor.Api.Tests;

public sealed class BranchScopeTests
{
    private static readonly Dictionary<string, string?> Tree = new()
    {
        ["HO"] = null, ["BR01"] = "HO", ["BR02"] = "HO", ["SB0101"] = "BR01", ["SB0102"] = "BR01", ["SB0201"] = "BR02",
    };

    [Fact]
    public void A_branch_covers_itself_and_every_branch_below_it_but_not_its_siblings_or_parent()
    {
        Assert.Equal(["BR01", "SB0101", "SB0102"], BranchScope.Below("BR01", Tree).Order(StringComparer.Ordinal));
        Assert.Equal(["SB0101"], BranchScope.Below("SB0101", Tree));
        Assert.Equal(6, BranchScope.Below("HO", Tree).Count);
        Assert.Equal(["XX"], BranchScope.Below("XX", Tree)); // a branch no day has named yet covers only itself
    }
}
