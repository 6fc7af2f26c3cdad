namespace Monitor.Simulator;

/// <summary>
/// The incidents the simulator can inject, each with the rule ids that must catch it and whether the
/// policy must suspend the user for it.
/// </summary>
public sealed record IncidentKind(string Name, IReadOnlyList<string> ExpectedRules, bool Suspends, string EntityType = "user")
{
    public static readonly IncidentKind AdminQuery = new("admin_query", ["ADMIN_QUERY"], true);
    public static readonly IncidentKind NoAuthorization = new("no_authorization", ["NO_AUTHORIZATION"], false);
    public static readonly IncidentKind QueryBeforeAuthorization = new("query_before_authorization", ["QUERY_BEFORE_AUTHORIZATION"], false);
    public static readonly IncidentKind OffHours = new("off_hours", ["OFF_HOURS"], false);
    public static readonly IncidentKind VolumeSpike = new("volume_spike", ["VOLUME_SPIKE"], false);
    public static readonly IncidentKind BranchVolumeSpike = new("branch_volume_spike", ["VOLUME_SPIKE"], false, "branch");

    /// <summary>Every kind the simulator knows, by name.</summary>
    public static readonly IReadOnlyList<IncidentKind> All = [AdminQuery, NoAuthorization, QueryBeforeAuthorization, OffHours, VolumeSpike, BranchVolumeSpike];

    public static IncidentKind Named(string name) =>
        All.FirstOrDefault(k => k.Name == name) ?? throw new ArgumentException($"unknown incident kind '{name}' ({string.Join(", ", All.Select(k => k.Name))})");
}

/// <summary>One injected incident as written to the labels file: the ground truth the evaluation compares with.</summary>
public sealed record IncidentLabel(
    string Kind,
    IReadOnlyList<string> ExpectedRules,
    string EntityType,
    string EntityId,
    string? UserId,
    string BranchId,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool Suspend)
{
    /// <summary>Every user the incident's events came from (a branch-wide incident touches several).</summary>
    public IReadOnlyList<string> TouchedUsers { get; init; } = [];
}
