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

    /// <summary>How many incidents of each kind; kinds left out are not injected.</summary>
    public IReadOnlyDictionary<string, int> Incidents { get; init; } =
        IncidentKind.All.Concat(IncidentKind.FeedKinds).ToDictionary(k => k.Name, _ => 1);
}
