using Monitor.Contracts;
using NodaTime;

namespace Monitor.Detectors.Settings;

/// <summary>The effective settings of one branch after overrides and inheritance, resolved once and cached.</summary>
public sealed record BranchPolicy(
    DateTimeZone Zone,
    LocalTime WorkStart,
    LocalTime WorkEnd,
    int? UserDaily,
    int? UserMonthly,
    int? BranchDaily,
    int? BranchMonthly);

/// <summary>
/// Resolves <see cref="BranchPolicy"/> per branch: the branch's own entry, else its parent's, else the defaults,
/// field by field. The parent is the one the events name.
/// </summary>
public sealed class BranchPolicies(DetectionSettings settings)
{
    // Shared by every entity actor, so concurrent: a plain Dictionary corrupts under parallel first use.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Branch, string? Parent), BranchPolicy> _cache = new();
    private readonly HashSet<Channel> _exempt = [.. settings.OffHours.ExemptChannels.Select(c => WireNames.TryParse<Channel>(c, out var v) ? v : default)];

    public DetectionSettings Settings => settings;

    public bool IsOffHoursExempt(Channel? channel) => channel is { } c && _exempt.Contains(c);

    public BranchPolicy For(string branchId, string? parentBranchId)
    {
        // Keyed by the parent too: a branch first seen without its parent must not hide the parent's entry later.
        if (_cache.TryGetValue((branchId, parentBranchId), out var cached)) return cached;
        settings.Branches.TryGetValue(branchId, out var own);
        BranchOverride? parent = null;
        if (parentBranchId is not null) settings.Branches.TryGetValue(parentBranchId, out parent);
        var hours = own?.WorkingHours ?? parent?.WorkingHours ?? settings.WorkingHours;
        var v = settings.Volume;
        var policy = new BranchPolicy(
            DateTimeZoneProviders.Tzdb[own?.TimeZone ?? parent?.TimeZone ?? settings.TimeZone],
            SettingsLoader.ParseTime("workingHours.start", hours.Start),
            SettingsLoader.ParseTime("workingHours.end", hours.End),
            own?.Volume?.UserDaily ?? parent?.Volume?.UserDaily ?? v.UserDaily,
            own?.Volume?.UserMonthly ?? parent?.Volume?.UserMonthly ?? v.UserMonthly,
            own?.Volume?.BranchDaily ?? parent?.Volume?.BranchDaily ?? v.BranchDaily,
            own?.Volume?.BranchMonthly ?? parent?.Volume?.BranchMonthly ?? v.BranchMonthly);
        return _cache.GetOrAdd((branchId, parentBranchId), policy);
    }
}
