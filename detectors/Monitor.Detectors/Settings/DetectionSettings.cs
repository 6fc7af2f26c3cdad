using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Monitor.Contracts;

namespace Monitor.Detectors.Settings;

/// <summary>
/// Every threshold of the detectors, in one file analysts edit (docs/settings.md): the defaults of every rule
/// (<see cref="RuleSettings"/>), what applies to the whole pipeline, per-branch overrides and suppressions.
/// </summary>
public sealed record DetectionSettings : RuleSettings
{
    [JsonPropertyName("allowedLatenessMinutes")] public int AllowedLatenessMinutes { get; init; } = 120;
    [JsonPropertyName("dedupHorizonHours")] public int DedupHorizonHours { get; init; } = 48;
    [JsonPropertyName("maxAheadOfClockMinutes")] public int MaxAheadOfClockMinutes { get; init; } = 60;
    [JsonPropertyName("maxJumpDays")] public int MaxJumpDays { get; init; } = 31;

    /// <summary>
    /// An event this far ahead of the rest of the stream needs support (the clock, or other users' events near it)
    /// before it is accepted and moves event time; alone, it is implausible (docs/contract.md).
    /// </summary>
    [JsonPropertyName("maxLeadHours")] public int MaxLeadHours { get; init; } = 12;
    [JsonPropertyName("earliestPlausible")] public DateTimeOffset EarliestPlausible { get; init; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    [JsonPropertyName("suspension")] public SuspensionSettings Suspension { get; init; } = new();
    [JsonPropertyName("behaviour")] public BehaviourSettings Behaviour { get; init; } = new();

    /// <summary>How alerts are linked into cases (one cause, one case).</summary>
    [JsonPropertyName("cases")] public CaseSettings Cases { get; init; } = new();
    [JsonPropertyName("calendarFiles")] public IReadOnlyList<string> CalendarFiles { get; init; } = [];

    /// <summary>Per-branch overrides: any key of <see cref="RuleSettings"/>, merged key by key over the parent's and the defaults.</summary>
    [JsonPropertyName("branches")] public IReadOnlyDictionary<string, JsonObject> Branches { get; init; } = new Dictionary<string, JsonObject>();

    [JsonPropertyName("suppressions")] public IReadOnlyList<Suppression> Suppressions { get; init; } = [];

    /// <summary>The officers' API: where it listens and who may call it.</summary>
    [JsonPropertyName("api")] public ApiSettings Api { get; init; } = new();

    /// <summary>Pushed notices of critical alerts, suspensions, escalations and the safety valve (docs/notifications.md).</summary>
    [JsonPropertyName("notifications")] public NotificationSettings Notifications { get; init; } = new();

    /// <summary>The branches' daily verification sheets (docs/verification.md).</summary>
    [JsonPropertyName("dailySheet")] public DailySheetSettings DailySheet { get; init; } = new();

    /// <summary>How the detector state is kept (docs/operations.md).</summary>
    [JsonPropertyName("state")] public StateSettings State { get; init; } = new();

    public TimeSpan AllowedLateness => TimeSpan.FromMinutes(AllowedLatenessMinutes);
}

/// <summary>
/// One cause, one case (<see cref="Alerts.CaseLinker"/>): a user's alert of one of <see cref="BranchRules"/> joins its
/// branch-day's case when the rest of its branch was at least <see cref="BranchFactor"/> times as far above its usual as
/// the rest of the bank.
/// </summary>
public sealed record CaseSettings
{
    [JsonPropertyName("branchFactor")] public double BranchFactor { get; init; } = 2;
    [JsonPropertyName("branchRules")] public IReadOnlyList<string> BranchRules { get; init; } = [RuleIds.VolumeSpike, RuleIds.BehaviourOutlier, RuleIds.PostLoanAbuse];
}

/// <summary>The daily verification sheet: how many of the day's unflagged reports officers check by hand.</summary>
public sealed record DailySheetSettings
{
    /// <summary>The share of delivered reports drawn for spot checks (0–1), by event id, so the same on every run.</summary>
    [JsonPropertyName("sampleRate")] public double SampleRate { get; init; } = 0.02;

    /// <summary>
    /// The local time (HH:mm) by which a day's sheet must be signed on the next working day; unsigned then, it goes
    /// to the parent branch's officers, and a working day later to head office.
    /// </summary>
    [JsonPropertyName("signBy")] public string SignBy { get; init; } = "12:00";
}

/// <summary>Which findings suspend the user at once, before a person looks.</summary>
public sealed record SuspensionSettings
{
    /// <summary>Rules whose user alerts at <see cref="MinSeverity"/> or worse suspend.</summary>
    [JsonPropertyName("rules")] public IReadOnlyList<string> Rules { get; init; } = [RuleIds.AdminQuery, RuleIds.DormantAccount, RuleIds.LeaverAccount];
    [JsonPropertyName("minSeverity")] public string MinSeverity { get; init; } = "critical";

    /// <summary>A user alert of any rule (except <see cref="NeverAlone"/>) with at least this score suspends; null: off.</summary>
    [JsonPropertyName("minScore")] public int? MinScore { get; init; }

    /// <summary>Repeated alerts: this many distinct alerts on one user within a period suspend; null: off.</summary>
    [JsonPropertyName("repeated")] public RepeatedAlerts? Repeated { get; init; }

    /// <summary>Rules that never suspend on their own through the score or repeated policy (the models: a person judges them).</summary>
    [JsonPropertyName("neverAlone")] public IReadOnlyList<string> NeverAlone { get; init; } = [RuleIds.BehaviourOutlier];

    /// <summary>Safety valve: a branch with this many automatic suspensions within an hour gets no more until an officer reopens it.</summary>
    [JsonPropertyName("valvePerBranchPerHour")] public int ValvePerBranchPerHour { get; init; } = 3;

    /// <summary>Accounts never suspended automatically (their alerts become critical for people instead).</summary>
    [JsonPropertyName("protected")] public IReadOnlyList<string> Protected { get; init; } = [];

    /// <summary>Shadow mode: the policy decides as usual, but no command is sent; the alert says what would have been done.</summary>
    [JsonPropertyName("shadow")] public bool Shadow { get; init; }
}

/// <summary>
/// The officers' API: the address it listens on (loopback by default) and its callers' keys, kept only as
/// SHA-256 hashes (<c>./monitor api-key</c> makes a key and its entry). A reload applies at once, so a key is
/// revoked by removing its entry.
/// </summary>
/// <summary>
/// How often the detector state is checkpointed and when idle entities leave memory. A shorter checkpoint
/// interval means less to re-read after a crash and more writes; idle entities come back on their next event.
/// </summary>
public sealed record StateSettings
{
    /// <summary>A live run checkpoints this often, between batches.</summary>
    [JsonPropertyName("checkpointSeconds")] public int CheckpointSeconds { get; init; } = 30;

    /// <summary>A replay checkpoints after this many events (and at its end).</summary>
    [JsonPropertyName("checkpointEvents")] public int CheckpointEvents { get; init; } = 200_000;

    /// <summary>An entity with nothing to do for this long, and saved, leaves memory.</summary>
    [JsonPropertyName("idleMinutes")] public int IdleMinutes { get; init; } = 10;
}

/// <summary>Suspends a user who keeps raising alerts: <see cref="Alerts"/> distinct alerts at <see cref="MinSeverity"/> or worse within <see cref="WithinDays"/>.</summary>
public sealed record RepeatedAlerts
{
    [JsonPropertyName("alerts")] public int Alerts { get; init; } = 3;
    [JsonPropertyName("withinDays")] public int WithinDays { get; init; } = 7;
    [JsonPropertyName("minSeverity")] public string MinSeverity { get; init; } = "high";
}
