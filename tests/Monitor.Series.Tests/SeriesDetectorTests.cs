using Xunit;

namespace Monitor.Series.Tests;

public sealed class SeriesDetectorTests
{
    [Fact]
    public void Spike_in_a_noisy_daily_cycle_scores_near_one_at_once_and_ordinary_points_stay_low()
    {
        var s = Series.Daily(6000);
        s[3000] = (s[3000].Time, s[3000].Value + 40);
        var scores = Series.Scores(s);
        Assert.True(scores[3000] >= 0.9, $"spike scored {scores[3000]}");
        var elsewhere = scores.Where((_, i) => i is < 3000 or > 3005).Max();
        Assert.True(elsewhere < 0.6, $"an ordinary point scored {elsewhere}");
    }

    [Fact]
    public void Level_shift_alarms_when_it_happens_and_becomes_the_new_usual()
    {
        var s = Series.Daily(6000).Select((p, i) => (p.Time, i >= 4500 ? p.Value + 25 : p.Value)).ToList();
        var scores = Series.Scores(s);
        Assert.True(scores.Skip(4500).Take(3).Max() >= 0.7, $"the shift scored {scores.Skip(4500).Take(3).Max()}");
        var later = scores.Skip(4800).Max();
        Assert.True(later < 0.6, $"300 points after the shift a point still scored {later}");
    }

    [Fact]
    public void The_daily_cycle_itself_is_not_an_anomaly_but_the_wrong_hour_is()
    {
        // Eight days of a strong cycle; then at 03:00, the night's usual low, the value of the afternoon peak.
        var s = Series.Daily(8 * 288, noise: 1);
        var at = 7 * 288 + 36; // day 8, 03:00
        var scores = Series.Scores(s);
        Assert.True(scores.Take(at).Skip(288).Max() < 0.6, $"the cycle scored {scores.Take(at).Skip(288).Max()}");
        s[at] = (s[at].Time, 70);
        Assert.True(Series.Scores(s)[at] >= 0.7, $"a peak value at night scored {Series.Scores(s)[at]}");
    }

    [Fact]
    public void A_score_depends_only_on_its_row_and_the_rows_before_it()
    {
        var s = Series.Daily(3000);
        var before = Series.Scores(s);
        for (var i = 2000; i < 3000; i++) s[i] = (s[i].Time, s[i].Value * 3 + 100);
        var after = Series.Scores(s);
        Assert.Equal(before.Take(2000), after.Take(2000));
        Assert.NotEqual(before.Skip(2000), after.Skip(2000));
    }

    [Fact]
    public void Scores_stay_within_zero_and_one_and_the_first_points_are_not_judged()
    {
        var random = new Random(5);
        var s = Enumerable.Range(0, 3000).Select(i => (Series.Start.AddSeconds(i * random.Next(1, 900)), random.Next(0, 3) == 0 ? 0.0 : random.NextDouble() * 1e6)).ToList();
        s = s.OrderBy(p => p.Item1).ToList();
        var scores = Series.Scores(s);
        Assert.All(scores, x => Assert.InRange(x, 0, 1));
        Assert.All(scores.Take(new SeriesDetectorOptions().WarmupPoints), x => Assert.Equal(0, x));
    }
}
