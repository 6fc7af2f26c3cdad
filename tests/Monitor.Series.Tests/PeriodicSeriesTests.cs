using Xunit;

namespace Monitor.Series.Tests;

/// <summary>
/// What periodic series, repeated detections and the resolution of the score hold the detector to: the ordinary
/// cycle stays low, a break in it scores above everything before it, and one event gives one high score.
/// </summary>
public sealed class PeriodicSeriesTests
{
    /// <summary>Five-minute samples: 80 from 09:00 to 18:00, 20 otherwise, with optional Gaussian noise.</summary>
    private static List<(DateTime Time, double Value)> SquareWave(int days, double noise = 0, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days * 288).Select(i =>
        {
            var t = Series.Start.AddMinutes(5 * i);
            var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return (t, (t.Hour is >= 9 and < 18 ? 80.0 : 20.0) + noise * gauss);
        }).ToList();
    }

    private static int Warm => new SeriesDetectorOptions().WarmupPoints;

    [Fact]
    public void A_perfect_square_wave_without_anomalies_scores_nothing_near_one_after_its_first_day()
    {
        var scores = Series.Scores(SquareWave(14));
        var after = scores.Skip(288).Max();
        Assert.True(after < 0.5, $"an ordinary jump of the square wave scored {after}");
    }

    [Fact]
    public void A_noisy_square_wave_keeps_its_ordinary_jumps_low()
    {
        var scores = Series.Scores(SquareWave(14, noise: 2));
        var after = scores.Skip(3 * 288).Max();
        Assert.True(after < 0.6, $"an ordinary point of the noisy square wave scored {after}");
    }

    [Fact]
    public void A_day_whose_jump_does_not_come_scores_above_every_ordinary_point_before_it()
    {
        var s = SquareWave(14, noise: 2);
        var day = 10 * 288;
        for (var i = day + 9 * 12; i < day + 18 * 12; i++) s[i] = (s[i].Time, s[i].Value - 60); // day 11 stays at the night's level
        var scores = Series.Scores(s);
        var before = scores.Skip(3 * 288).Take(day + 9 * 12 - 3 * 288).Max(); // once three days of the cycle are known
        var missing = scores.Skip(day + 9 * 12).Take(12).Max();
        Assert.True(missing > before, $"the missing jump scored {missing}, an ordinary point {before}");
        Assert.True(missing >= 0.7, $"the missing jump scored {missing}");
    }

    [Theory]
    [InlineData(25.0)] // a level shift
    [InlineData(0.0)] // a spike
    public void A_break_in_a_periodic_series_scores_above_everything_before_it(double shift)
    {
        var s = Series.Daily(12 * 288, seed: 7);
        var at = 9 * 288 + 40;
        if (shift > 0) s = s.Select((p, i) => (p.Time, i >= at ? p.Value + shift : p.Value)).ToList();
        else s[at] = (s[at].Time, s[at].Value + 30);
        var scores = Series.Scores(s);
        var before = scores.Skip(Warm).Take(at - Warm).Max();
        var atBreak = scores.Skip(at).Take(3).Max();
        Assert.True(atBreak > before, $"the break scored {atBreak}, an ordinary point {before}");
    }

    [Fact]
    public void Scores_above_nine_tenths_keep_their_order_instead_of_saturating_at_one()
    {
        var s = Series.Daily(6000);
        var small = s.ToList();
        var large = s.ToList();
        small[4000] = (s[4000].Time, s[4000].Value + 40);
        large[4000] = (s[4000].Time, s[4000].Value + 80);
        var (a, b) = (Series.Scores(small)[4000], Series.Scores(large)[4000]);
        Assert.True(a >= 0.9 && b < 1, $"the spikes scored {a} and {b}");
        Assert.True(b > a, $"twice the spike scored {b}, not above {a}");
    }

    [Fact]
    public void An_event_raises_one_high_score_not_a_string_of_them()
    {
        var s = Series.Daily(6000).Select((p, i) => (p.Time, i >= 4500 ? p.Value + 25 : p.Value)).ToList();
        var scores = Series.Scores(s);
        var first = scores.Skip(4500).Take(3).Max();
        var following = scores.Skip(4503).Take(100).Count(x => x >= 0.6);
        Assert.True(first >= 0.7, $"the shift scored {first}");
        Assert.True(following <= 3, $"{following} of the next 100 points also scored 0.6 or more");
    }

    [Fact]
    public void A_lasting_doubling_of_the_spread_is_seen_although_no_single_point_is_extreme()
    {
        var random = new Random(11);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var at = 3000;
        var s = Enumerable.Range(0, 4000).Select(i => (Series.Start.AddMinutes(5 * i), 50 + (i >= at ? 2.5 : 1) * Gauss())).ToList();
        var scores = Series.Scores(s);
        var before = scores.Skip(Warm).Take(at - Warm).Max();
        var after = scores.Skip(at).Take(200).Max();
        Assert.True(after > before, $"the wider spread scored at most {after}, an ordinary point {before}");
    }

    [Fact]
    public void A_spike_the_series_makes_every_day_scores_lower_for_having_been_seen_but_a_record_one_still_alarms()
    {
        // Steady noise with a +5 spike once a day, at a time that wanders by up to an hour; then one of +15.
        var random = new Random(21);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var s = Enumerable.Range(0, 12 * 288).Select(i => (Time: Series.Start.AddMinutes(5 * i), Value: 50 + Gauss())).ToList();
        var spikes = Enumerable.Range(1, 10).Select(day => day * 288 + 100 + random.Next(-12, 13)).ToList();
        foreach (var at in spikes) s[at] = (s[at].Time, s[at].Value + 5);
        var record = 11 * 288 + 150;
        s[record] = (s[record].Time, s[record].Value + 15);
        var scores = Series.Scores(s);
        var unseen = Series.Scores(s, new SeriesDetectorOptions { RecurrenceWeight = 0 }); // the same, ignoring what came before
        Assert.True(scores[spikes[^1]] < unseen[spikes[^1]] - 0.1, $"the tenth daily spike scored {scores[spikes[^1]]}, {unseen[spikes[^1]]} as if never seen");
        Assert.True(scores[record] >= 0.9, $"the record spike scored {scores[record]}");
    }
}
