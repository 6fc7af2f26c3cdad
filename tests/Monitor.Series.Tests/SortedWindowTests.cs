using Xunit;

namespace Monitor.Series.Tests;

public sealed class SortedWindowTests
{
    [Fact]
    public void Median_quantiles_and_mad_match_a_full_sort_of_the_last_values()
    {
        var random = new Random(3);
        var w = new SortedWindow(37);
        var all = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            var v = random.Next(0, 4) == 0 ? 7.0 : Math.Round(random.NextDouble() * 100, 1); // many ties
            w.Add(v);
            all.Add(v);
            var last = all.TakeLast(37).Order().ToArray();
            Assert.Equal(Naive(last, 0.5), w.Median, 9);
            Assert.Equal(Naive(last, 0.05), w.Quantile(0.05), 9);
            var deviations = last.Select(x => Math.Abs(x - Naive(last, 0.5))).Order().ToArray();
            Assert.Equal(1.4826 * deviations[last.Length / 2], w.Mad(), 9);
        }
    }

    [Fact]
    public void Keeping_the_newest_values_forgets_the_old_regime()
    {
        var w = new SortedWindow(10);
        foreach (var v in new double[] { 1, 1, 1, 1, 1, 1, 9, 9, 9 }) w.Add(v);
        w.KeepNewest(3);
        Assert.Equal(3, w.Count);
        Assert.Equal(9, w.Median);
    }

    private static double Naive(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
