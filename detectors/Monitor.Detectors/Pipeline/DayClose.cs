namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Event time has passed the end of local day <paramref name="Day"/> (a day number) by the allowed lateness, at
/// <paramref name="At"/>: entities close what waited for that day, after their share's own events. It says too on
/// which of the closed days each branch's approval register delivered entries, so REGISTER_MISMATCH judges only
/// days the register feed covered (a bank without the feed, or a day it failed, is not a flood of findings).
/// </summary>
public sealed record DayClose(int Day, DateTimeOffset At)
{
    /// <summary>Per closed day, the branches with at least one register entry that day.</summary>
    public IReadOnlyDictionary<int, IReadOnlySet<string>> RegisterBranches { get; init; } = new Dictionary<int, IReadOnlySet<string>>();

    /// <summary>Whether the register feed delivered entries for <paramref name="branchId"/> on day <paramref name="day"/>.</summary>
    public bool RegisterCovers(int day, string branchId) => RegisterBranches.TryGetValue(day, out var b) && b.Contains(branchId);
}
