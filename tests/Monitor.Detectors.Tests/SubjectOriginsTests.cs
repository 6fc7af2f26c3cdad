using Monitor.Detectors.Pipeline;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class SubjectOriginsTests
{
    [Fact]
    public void A_subject_keeps_the_branch_that_read_it_first_while_it_is_read()
    {
        var origins = new SubjectOrigins(TimeSpan.FromDays(30));
        Assert.Equal("SB0101", origins.Observe(7, "SB0101", Ev.At(2026, 3, 2, 10)));
        Assert.Equal("SB0101", origins.Observe(7, "SB0202", Ev.At(2026, 3, 3, 10)));
        Assert.Equal("SB0101", origins.Observe(7, "SB0202", Ev.At(2026, 4, 20, 10))); // read in each generation: kept
    }

    [Fact]
    public void A_subject_nobody_reads_for_two_generations_is_forgotten()
    {
        var origins = new SubjectOrigins(TimeSpan.FromDays(30));
        origins.Observe(7, "SB0101", Ev.At(2026, 1, 1, 10));
        origins.Observe(8, "SB0101", Ev.At(2026, 2, 5, 10));
        origins.Observe(9, "SB0101", Ev.At(2026, 3, 10, 10));
        Assert.Equal("SB0202", origins.Observe(7, "SB0202", Ev.At(2026, 3, 11, 10)));
        Assert.Equal(3, origins.Count);
    }
}
