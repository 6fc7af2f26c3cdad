using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// Issue 18's bar, as an analyst checks it: twelve weeks around National Day 2026 (the Mid-Autumn holiday, the
/// quarter-end, the long holiday with its adjusted working days, three month-ends), every account busier by one factor
/// on each peak day, four new hires ramping up, one incident of every kind, through <c>./monitor simulate</c>,
/// <c>replay</c> and <c>evaluate</c>.
/// </summary>
public sealed partial class CalendarPeakTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("peaks");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Twelve_weeks_around_national_day_find_every_incident_soon_and_raise_nothing_on_peak_days_or_on_new_hires()
    {
        string F(string name) => Path.Combine(_dir.FullName, name);
        var (code, err) = await Cli.Run("simulate", "--output", F("events.jsonl"), "--labels", F("labels.jsonl"), "--seed", "7", "--days", "84",
            "--start", "2026-08-24", "--incidents", "all", "--feeds", "--peaks", "--new-hires", "4");
        Assert.True(code == 0, err);
        Assert.Contains("and 11 stretches of ordinary life that must stay quiet", err);
        (code, err) = await Cli.Run("replay", "--input", F("events.jsonl"), "--output", F("alerts.jsonl"), "--commands", F("commands.jsonl"));
        Assert.True(code == 0, err);
        var (evaluated, report, stderr) = await Cli.Output("evaluate", "--alerts", F("alerts.jsonl"), "--labels", F("labels.jsonl"),
            "--commands", F("commands.jsonl"), "--events", F("events.jsonl"));
        Assert.True(evaluated == 0, report + stderr); // 0: every incident found

        Assert.Matches(@"incidents detected: (\d+) of \1\b", report);
        Assert.Matches(@"(?m)^low_and_slow\s+\S+\s+detected", report);
        Assert.Contains("alerts on peak days (every account at the day's factor): 0 on 7 days (2026-08-31 ×1.5, 2026-09-28 ×1.8, 2026-09-29 ×1.4, 2026-09-30 ×2.0, 2026-10-08 ×1.8, 2026-10-09 ×1.4, 2026-10-30 ×1.5)", report);
        Assert.Matches(@"alerts on new hires ramping up \(first 30 days\): 0 on 4 hires", report);
        var perThousand = double.Parse(FalseRate().Match(report).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(perThousand < 0.5, report);

        // Every rule on single events and on counts within 60 minutes of its threshold's crossing; the day view of
        // BEHAVIOUR_OUTLIER judges a whole day and is only printed.
        var timings = Timing().Matches(report).Select(m => (Rule: m.Groups[1].Value, Worst: double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.True(timings.Count >= 19, report);
        Assert.All(timings.Where(t => t.Rule != "BEHAVIOUR_OUTLIER"), t => Assert.True(t.Worst <= 60, $"{t.Rule}: {t.Worst} min\n{report}"));
    }

    [GeneratedRegex(@"alerts on users no incident touched: \d+ over \d+ user-days \(([\d.]+) per 1,000\)")]
    private static partial Regex FalseRate();

    [GeneratedRegex(@"(?m)^  ([A-Z_]+)\s+\d+\s+([\d.]+) min\s+([\d.]+) min$")]
    private static partial Regex Timing();
}
