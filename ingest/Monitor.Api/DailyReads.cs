using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// A user's reads per closed local day against the user's usual level, for the chart on an alert's page: the usual
/// level of a day is the median of the user's previous <see cref="Window"/> active days (at least
/// <see cref="MinHistory"/> of them; before that there is no usual level to show). The median, not the mean, so one
/// earlier spike does not raise the bar the next one is read against. A day at several branches counts once, summed.
/// </summary>
public static class DailyReads
{
    public const int Window = 28;
    public const int MinHistory = 3;

    /// <summary>One day of the chart: the day, its reads, and the usual level (null without enough history).</summary>
    public sealed record Point(string Day, int Reads, double? Usual);

    public static List<Point> Of(IEnumerable<UserReads> days)
    {
        var totals = days.GroupBy(d => d.Day, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Day: g.Key, Reads: g.Sum(d => d.Reads))).ToList();
        var points = new List<Point>(totals.Count);
        for (var i = 0; i < totals.Count; i++)
        {
            var history = totals.Skip(Math.Max(0, i - Window)).Take(Math.Min(i, Window)).Select(t => t.Reads).ToList();
            points.Add(new Point(totals[i].Day, totals[i].Reads, history.Count >= MinHistory ? Median(history) : null));
        }
        return points;
    }

    private static double Median(List<int> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }
}
