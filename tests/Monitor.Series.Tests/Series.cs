namespace Monitor.Series.Tests;

/// <summary>Synthetic series: five-minute samples with a daily cycle and Gaussian noise, from a fixed seed.</summary>
internal static class Series
{
    public static readonly DateTime Start = new(2014, 4, 1, 0, 0, 0);

    public static List<(DateTime Time, double Value)> Daily(int points, int seed = 1, double noise = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, points).Select(i =>
        {
            var t = Start.AddMinutes(5 * i);
            var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return (t, 50 + 20 * Math.Sin(2 * Math.PI * t.TimeOfDay.TotalHours / 24) + noise * gauss);
        }).ToList();
    }

    public static double[] Scores(IEnumerable<(DateTime Time, double Value)> series, SeriesDetectorOptions? options = null)
    {
        var d = new SeriesDetector(options);
        return series.Select(p => d.Score(p.Time, p.Value)).ToArray();
    }
}
