using System.Text.Json.Serialization;

namespace Monitor.Detectors.Settings;

/// <summary>
/// Every threshold of the detectors, in one file analysts edit (docs/settings.md). Branch entries override
/// the defaults; a sub-branch without an entry inherits its parent branch's entry.
/// </summary>
public sealed record DetectionSettings
{
    [JsonPropertyName("timeZone")] public string TimeZone { get; init; } = "Asia/Shanghai";
    [JsonPropertyName("allowedLatenessMinutes")] public int AllowedLatenessMinutes { get; init; } = 120;
    [JsonPropertyName("dedupHorizonHours")] public int DedupHorizonHours { get; init; } = 48;
    [JsonPropertyName("maxAheadOfClockMinutes")] public int MaxAheadOfClockMinutes { get; init; } = 24 * 60;
    [JsonPropertyName("maxJumpDays")] public int MaxJumpDays { get; init; } = 31;
    [JsonPropertyName("earliestPlausible")] public DateTimeOffset EarliestPlausible { get; init; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    [JsonPropertyName("workingHours")] public WorkingHours WorkingHours { get; init; } = new();
    [JsonPropertyName("offHours")] public OffHoursSettings OffHours { get; init; } = new();
    [JsonPropertyName("volume")] public VolumeThresholds Volume { get; init; } = new();
    [JsonPropertyName("suspension")] public SuspensionSettings Suspension { get; init; } = new();
    [JsonPropertyName("calendarFiles")] public IReadOnlyList<string> CalendarFiles { get; init; } = [];
    [JsonPropertyName("branches")] public IReadOnlyDictionary<string, BranchOverride> Branches { get; init; } = new Dictionary<string, BranchOverride>();

    public TimeSpan AllowedLateness => TimeSpan.FromMinutes(AllowedLatenessMinutes);
}

/// <summary>A branch's working hours in its local time; a query outside them, or on a non-working day, is off-hours.</summary>
public sealed record WorkingHours
{
    [JsonPropertyName("start")] public string Start { get; init; } = "08:00";
    [JsonPropertyName("end")] public string End { get; init; } = "18:00";
}

/// <summary>Which channels the off-hours rule ignores: batch jobs run at night by design, kiosks have a rule of their own.</summary>
public sealed record OffHoursSettings
{
    [JsonPropertyName("exemptChannels")] public IReadOnlyList<string> ExemptChannels { get; init; } = ["batch", "self_service_kiosk"];
}

/// <summary>Fixed query-count thresholds; a count above one raises VOLUME_SPIKE. Null switches a threshold off.</summary>
public sealed record VolumeThresholds
{
    [JsonPropertyName("userDaily")] public int? UserDaily { get; init; } = 150;
    [JsonPropertyName("userMonthly")] public int? UserMonthly { get; init; } = 2500;
    [JsonPropertyName("branchDaily")] public int? BranchDaily { get; init; } = 1500;
    [JsonPropertyName("branchMonthly")] public int? BranchMonthly { get; init; } = 25000;
}

/// <summary>Which findings suspend the user at once, at once, before a person looks.</summary>
public sealed record SuspensionSettings
{
    [JsonPropertyName("rules")] public IReadOnlyList<string> Rules { get; init; } = [RuleIds.AdminQuery];
    [JsonPropertyName("minSeverity")] public string MinSeverity { get; init; } = "critical";
}

/// <summary>Per-branch changes to the defaults; any field left out is inherited.</summary>
public sealed record BranchOverride
{
    [JsonPropertyName("timeZone")] public string? TimeZone { get; init; }
    [JsonPropertyName("workingHours")] public WorkingHours? WorkingHours { get; init; }
    [JsonPropertyName("volume")] public VolumeOverride? Volume { get; init; }
}

/// <summary>Per-branch volume thresholds; left-out values are inherited.</summary>
public sealed record VolumeOverride
{
    [JsonPropertyName("userDaily")] public int? UserDaily { get; init; }
    [JsonPropertyName("userMonthly")] public int? UserMonthly { get; init; }
    [JsonPropertyName("branchDaily")] public int? BranchDaily { get; init; }
    [JsonPropertyName("branchMonthly")] public int? BranchMonthly { get; init; }
}
