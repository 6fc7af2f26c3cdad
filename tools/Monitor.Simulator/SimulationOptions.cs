using NodaTime;

namespace Monitor.Simulator;

/// <summary>The knobs of a simulated run; the same options and seed always give the same events.</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 42;
    public LocalDate Start { get; init; } = new(2026, 3, 2);
    public int Days { get; init; } = 14;
    public int Branches { get; init; } = 3;
    public int SubBranchesPerBranch { get; init; } = 3;
    public int OperatorsPerSubBranch { get; init; } = 6;
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>
    /// Also the approval register (an entry for nearly every read that needs one), the HR feed (joiners, leavers,
    /// transfers) and the administrators' everyday changes to accounts, and with them the incidents of
    /// <see cref="IncidentKind.FeedKinds"/>; off, the stream is what it always was for a seed.
    /// </summary>
    public bool Feeds { get; init; }

    /// <summary>
    /// Calendar peaks (<see cref="CalendarPeaks"/>): month-ends, quarter-ends and the days after a long holiday, when
    /// every account reads more by one shared factor; each peak day is labelled (<c>peak_day</c>, to stay quiet). Off,
    /// the stream is what it always was for a seed.
    /// </summary>
    public bool Peaks { get; init; }

    /// <summary>
    /// New hires: this many query operators who join during the run (an account created by their branch's
    /// administrator, and an HR <c>joined</c> event with <see cref="Feeds"/>) and ramp up from a fifth of their
    /// volume to all of it over three weeks of working days; each is labelled (<c>new_hire</c>, to stay quiet).
    /// </summary>
    public int NewHires { get; init; }

    /// <summary>How many incidents of each kind; kinds left out are not injected.</summary>
    public IReadOnlyDictionary<string, int> Incidents { get; init; } =
        IncidentKind.All.Concat(IncidentKind.FeedKinds).ToDictionary(k => k.Name, _ => 1);
}
