using Monitor.Contracts.State;
using Monitor.Testing;
using Xunit;

namespace Monitor.Series.Tests;

public sealed class SeriesDetectorStateTests
{
    /// <summary>Five weeks of five-minute samples with a daily cycle, a spike and a level shift after the cut.</summary>
    private static List<(DateTime Time, double Value)> Series_()
    {
        var s = Series.Daily(10_000, seed: 3).Select((p, i) => (p.Time, Value: i >= 8_000 ? p.Value + 25 : p.Value)).ToList();
        s[7_500] = (s[7_500].Time, s[7_500].Value + 40);
        return s;
    }

    [Theory]
    [InlineData(7_000)] // weekly and daily views both at work
    [InlineData(1_000)] // daily view only, weekly still learning
    [InlineData(5)] // still warming up
    public void A_detector_restored_in_the_middle_of_a_series_scores_the_rest_bit_for_bit_as_the_original(int cut)
    {
        var series = Series_();
        var original = new SeriesDetector();
        foreach (var (t, v) in series.Take(cut)) original.Score(t, v);

        var fresh = new SeriesDetector();
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        var expected = series.Skip(cut).Select(p => original.Score(p.Time, p.Value)).ToList();
        var actual = series.Skip(cut).Select(p => fresh.Score(p.Time, p.Value)).ToList();
        Assert.True(expected.Max() >= 0.7, $"the spike and the shift scored at most {expected.Max()}");
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_detector_restored_right_after_a_level_shift_forgot_the_old_level_as_the_original_did()
    {
        // The shift makes the level window keep only its newest points: the restore must carry that cut window, not a full one.
        var series = Series_();
        var original = new SeriesDetector();
        foreach (var (t, v) in series.Take(8_010)) original.Score(t, v);
        var fresh = new SeriesDetector();
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        Assert.Equal(series.Skip(8_010).Select(p => original.Score(p.Time, p.Value)), series.Skip(8_010).Select(p => fresh.Score(p.Time, p.Value)));
    }

    [Fact]
    public void Options_of_another_size_or_a_damaged_snapshot_are_refused_with_a_state_format_error()
    {
        var original = new SeriesDetector();
        foreach (var (t, v) in Series.Daily(500)) original.Score(t, v);
        using var w = new StateWriter();
        original.Save(w);
        var bytes = w.ToArray();
        Assert.Throws<StateFormatException>(() => new SeriesDetector(new SeriesDetectorOptions { LevelWindow = 50 }).Restore(StateReader.Open(bytes)));
        Assert.Throws<StateFormatException>(() => new SeriesDetector().Restore(StateReader.Open(bytes[..(bytes.Length / 2)])));
        var tagged = (byte[])bytes.Clone();
        tagged[9] = (byte)'X'; // the first letter of the "SeriesDetector" tag
        Assert.Throws<StateFormatException>(() => new SeriesDetector().Restore(StateReader.Open(tagged)));
    }
}

public sealed class SortedWindowStateTests
{
    [Fact]
    public void A_full_wrapped_window_restores_slot_for_slot_and_keeps_its_median_and_mad_as_values_arrive()
    {
        var random = new Random(8);
        var window = new SortedWindow(32);
        for (var i = 0; i < 75; i++) window.Add(Math.Round(random.NextDouble() * 10, 1)); // ties included
        var fresh = new SortedWindow(32);
        Assert.Empty(StateComparer.RoundTrip(window, fresh));
        for (var i = 0; i < 40; i++)
        {
            var v = Math.Round(random.NextDouble() * 10, 1);
            window.Add(v);
            fresh.Add(v);
            Assert.Equal(window.Median, fresh.Median);
            Assert.Equal(window.Mad(), fresh.Mad());
        }
    }
}
