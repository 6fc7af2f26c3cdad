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

    [Fact]
    public void After_a_restart_every_subject_in_both_generations_keeps_its_first_branch()
    {
        var origins = new SubjectOrigins(TimeSpan.FromDays(30));
        for (ulong k = 1; k <= 5000; k++) origins.Observe(unchecked(k * 0x9E3779B97F4A7C15UL), "SB" + (k % 7), Ev.At(2026, 1, 1, 10));
        for (ulong k = 5001; k <= 9000; k++) origins.Observe(unchecked(k * 0x9E3779B97F4A7C15UL), "SB" + (k % 5), Ev.At(2026, 2, 5, 10)); // a second generation
        using var w = new Contracts.State.StateWriter();
        origins.Save(w);
        var restored = new SubjectOrigins(TimeSpan.FromDays(30));
        using (var r = Contracts.State.StateReader.Open(w.ToArray())) restored.Restore(r);
        Assert.Equal(origins.Count, restored.Count);
        Assert.Equal("SB" + (1234 % 7), restored.Observe(unchecked(1234 * 0x9E3779B97F4A7C15UL), "SB9", Ev.At(2026, 2, 6, 10)));
        Assert.Equal("SB" + (8000 % 5), restored.Observe(unchecked(8000 * 0x9E3779B97F4A7C15UL), "SB9", Ev.At(2026, 2, 6, 10)));
        Assert.Equal("SB9", restored.Observe(424242, "SB9", Ev.At(2026, 2, 6, 10)));
    }
}
