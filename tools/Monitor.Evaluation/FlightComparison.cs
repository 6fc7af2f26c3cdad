using System.Globalization;
using Monitor.Contracts;

namespace Monitor.Evaluation;

/// <summary>
/// The days a flight is compared over: local days in UTC+8, both included. An alert belongs to the day its id names
/// (<see cref="Alert.Day"/>, the same under any settings), a command to the local day it was issued.
/// </summary>
public sealed record FlightPeriod(DateOnly From, DateOnly To)
{
    private static readonly TimeSpan Local = TimeSpan.FromHours(8);

    /// <summary>The first moment of <see cref="From"/> in UTC+8.</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), Local);

    /// <summary>The last moment of <see cref="To"/> in UTC+8.</summary>
    public DateTimeOffset End => new DateTimeOffset(To.AddDays(1).ToDateTime(TimeOnly.MinValue), Local).AddTicks(-1);

    public bool Holds(DateOnly day) => day >= From && day <= To;

    /// <summary>Whether an alert's <c>day</c> (yyyy-MM-dd) is in the period.</summary>
    public bool Holds(string day) => DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && Holds(d);

    public bool Holds(DateTimeOffset time) => Holds(DateOnly.FromDateTime(time.ToOffset(Local).DateTime));

    public override string ToString() => $"{From:yyyy-MM-dd} to {To:yyyy-MM-dd}";
}

/// <summary>A flight and the live settings over one period, ready for <see cref="Backtest.Compare"/>.</summary>
public sealed record FlightSides(BacktestRun Live, BacktestRun Flight, BacktestHistory History);

/// <summary>
/// Where a flight's comparison with live takes its two sides (<c>monitor backtest --flight</c>): live's alerts from
/// the alerts topic and its suspensions from the commands topic; the flight's alerts from the candidate topic and the
/// suspensions it withheld from those alerts (<see cref="Alert.WithheldCommand"/>). Only the sides differ from a
/// replayed backtest; the comparison itself is <see cref="Backtest.Compare"/>'s.
/// </summary>
public static class FlightComparison
{
    /// <summary>The flights whose alerts are among <paramref name="alerts"/>, by name.</summary>
    public static IReadOnlyList<string> Flights(IEnumerable<Alert> alerts) =>
        [.. alerts.Select(a => a.Flight).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The days from the first to the last a flight's alerts name; null when it has none.</summary>
    public static FlightPeriod? Span(string flight, IEnumerable<Alert> candidateAlerts)
    {
        var days = candidateAlerts.Where(a => a.Flight == flight)
            .Select(a => DateOnly.TryParseExact(a.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null)
            .OfType<DateOnly>().ToList();
        return days.Count == 0 ? null : new FlightPeriod(days.Min(), days.Max());
    }

    /// <summary>
    /// Live's side: the alerts without a flight whose day is in <paramref name="period"/> and the suspensions issued
    /// in it; the flight's side: the alerts of <paramref name="flight"/> whose day is in it and the suspensions it
    /// withheld issued in it. Other flights' alerts (several can share a candidate topic) are left out.
    /// </summary>
    public static FlightSides Sides(string flight, IEnumerable<Alert> liveAlerts, IEnumerable<PermissionCommand> liveCommands,
        IEnumerable<Alert> candidateAlerts, FlightPeriod period)
    {
        var flown = candidateAlerts.Where(a => a.Flight == flight && period.Holds(a.Day)).ToList();
        var live = new BacktestRun(liveAlerts.Where(a => a.Flight is null && period.Holds(a.Day)), liveCommands.Where(c => period.Holds(c.IssuedAt)));
        var withheld = candidateAlerts.Where(a => a.Flight == flight).Select(a => a.WithheldCommand).OfType<PermissionCommand>().Where(c => period.Holds(c.IssuedAt));
        return new FlightSides(live, new BacktestRun(flown, withheld), new BacktestHistory(null, period.Start, period.End));
    }
}
