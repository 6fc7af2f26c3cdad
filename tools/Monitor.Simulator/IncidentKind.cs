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
    public static readonly IncidentKind SharedAccount = new("shared_account", ["SHARED_ACCOUNT"], false);
    public static readonly IncidentKind RepeatedSubject = new("repeated_subject", ["REPEATED_SUBJECT"], false);
    public static readonly IncidentKind PostLoanAbuse = new("post_loan_abuse", ["POST_LOAN_ABUSE"], false);
    public static readonly IncidentKind DormantAccount = new("dormant_account", ["DORMANT_ACCOUNT"], false);
    public static readonly IncidentKind DisabledAccountQuery = new("disabled_account_query", ["DORMANT_ACCOUNT"], true);
    public static readonly IncidentKind KioskOffHours = new("kiosk_off_hours", ["KIOSK_OFF_HOURS"], false);
    public static readonly IncidentKind LoginFailures = new("login_failures", ["LOGIN_FAILURES"], false);
    public static readonly IncidentKind PasswordAge = new("password_age", ["PASSWORD_AGE"], false);
    public static readonly IncidentKind RoleConflict = new("role_conflict", ["ROLE_CONFLICT"], false);
    public static readonly IncidentKind RepeatRatio = new("repeat_ratio", ["REPEAT_RATIO"], false);
    public static readonly IncidentKind WindowTerminal = new("window_terminal", ["WINDOW_TERMINAL"], false);

    /// <summary>Low and slow: three or four extra post-loan reads a day of subjects the branch never authorised, for three weeks (issue 18).</summary>
    public static readonly IncidentKind LowAndSlow = new("low_and_slow", ["POST_LOAN_CUMULATIVE"], false);

    // Kinds that need the register and HR feeds (SimulationOptions.Feeds): injected only when those run.
    public static readonly IncidentKind RegisterMismatch = new("register_mismatch", ["REGISTER_MISMATCH"], false);
    public static readonly IncidentKind LeaverAccount = new("leaver_account", ["LEAVER_ACCOUNT"], false);
    public static readonly IncidentKind LeaverReading = new("leaver_reading", ["LEAVER_ACCOUNT"], true);
    public static readonly IncidentKind AdminSameLevel = new("admin_same_level", ["ADMIN_GOVERNANCE"], false);
    public static readonly IncidentKind AdminBurst = new("admin_burst", ["ADMIN_GOVERNANCE"], false);
    public static readonly IncidentKind AdminPasswordResets = new("admin_password_resets", ["ADMIN_GOVERNANCE"], false);

    // Subtle shifts no rule names, for the behaviour models; each needs weeks of ordinary history before it.
    public static readonly IncidentKind VolumeCreep = new("volume_creep", ["BEHAVIOUR_OUTLIER"], false);
    public static readonly IncidentKind PostLoanShift = new("post_loan_shift", ["BEHAVIOUR_OUTLIER"], false);
    public static readonly IncidentKind ForeignSubjects = new("foreign_subjects", ["BEHAVIOUR_OUTLIER"], false);
    public static readonly IncidentKind SubBranchDoubling = new("sub_branch_doubling", ["BEHAVIOUR_OUTLIER", "VOLUME_SPIKE"], false, "branch");

    /// <summary>The kinds the rules must catch: one or more for each rule of the brief except BEHAVIOUR_OUTLIER (low and slow is planned last, from a generator and event ids of its own, so the other incidents of a seed stay as they were).</summary>
    public static readonly IReadOnlyList<IncidentKind> All =
    [
        AdminQuery, NoAuthorization, QueryBeforeAuthorization, OffHours, VolumeSpike, BranchVolumeSpike, SharedAccount, RepeatedSubject,
        PostLoanAbuse, DormantAccount, DisabledAccountQuery, KioskOffHours, LoginFailures, PasswordAge, RoleConflict, RepeatRatio,
        WindowTerminal, LowAndSlow,
    ];

    /// <summary>The kinds of the rules on the register and HR feeds and on administrators' changes; they need <see cref="SimulationOptions.Feeds"/>.</summary>
    public static readonly IReadOnlyList<IncidentKind> FeedKinds = [RegisterMismatch, LeaverAccount, LeaverReading, AdminSameLevel, AdminBurst, AdminPasswordResets];

    /// <summary>The kinds only the behaviour models can catch.</summary>
    public static readonly IReadOnlyList<IncidentKind> Subtle = [VolumeCreep, PostLoanShift, ForeignSubjects, SubBranchDoubling];

    /// <summary>How many of each subtle kind a default subtle run injects (ten in all).</summary>
    public static IReadOnlyDictionary<string, int> SubtleMix => new Dictionary<string, int>
    {
        [VolumeCreep.Name] = 3, [PostLoanShift.Name] = 3, [ForeignSubjects.Name] = 2, [SubBranchDoubling.Name] = 2,
    };

    /// <summary>Days of traffic before the incident the kind needs (an idle spell, a password growing old).</summary>
    public int LeadDays => Name switch
    {
        "dormant_account" => 40,
        "password_age" => 64,
        "post_loan_abuse" => 21,
        "repeat_ratio" => 8,
        "low_and_slow" => 21,
        "leaver_reading" => 4,
        "volume_creep" or "post_loan_shift" or "foreign_subjects" or "sub_branch_doubling" => 24,
        _ => 1,
    };

    /// <summary>Calendar days the incident runs for after its first day.</summary>
    public int SpanDays => Name switch
    {
        "repeat_ratio" => 2,
        "volume_creep" => 13,
        "post_loan_shift" => 6,
        "foreign_subjects" => 2,
        "low_and_slow" => 20,
        _ => 0,
    };

    public static IncidentKind Named(string name) =>
        All.Concat(FeedKinds).Concat(Subtle).FirstOrDefault(k => k.Name == name)
        ?? throw new ArgumentException($"unknown incident kind '{name}' ({string.Join(", ", All.Concat(FeedKinds).Concat(Subtle).Select(k => k.Name))})");
}

/// <summary>
/// One injected incident as written to the labels file: the ground truth the evaluation compares with. A label with
/// no expected rules marks ordinary life that must stay quiet (a calendar peak, a new hire ramping up): the
/// evaluation counts the alerts on it instead of looking for one.
/// </summary>
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

    /// <summary>On a calendar peak (<c>peak_day</c>): the factor every account's volume was multiplied by that day; absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Factor { get; init; }

    /// <summary>
    /// The ids of the incident's own events (not the account's ordinary traffic around them), the first
    /// <see cref="BankSimulator.EvidenceShown"/> in time order: what evaluate measures time to detect from.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Whether the label marks ordinary life that must raise no alert rather than an incident that must raise one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsQuiet => ExpectedRules.Count == 0;
}
