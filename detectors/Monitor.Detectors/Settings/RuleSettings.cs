using System.Text.Json.Serialization;

namespace Monitor.Detectors.Settings;

/// <summary>
/// The thresholds a branch may override: the defaults sit at the top of the settings file, and an entry under
/// <c>branches</c> changes any of them for that branch and the sub-branches below it (docs/settings.md).
/// </summary>
public record RuleSettings
{
    [JsonPropertyName("timeZone")] public string TimeZone { get; init; } = "Asia/Shanghai";
    [JsonPropertyName("workingHours")] public WorkingHours WorkingHours { get; init; } = new();
    [JsonPropertyName("offHours")] public OffHoursSettings OffHours { get; init; } = new();
    [JsonPropertyName("kiosk")] public KioskSettings Kiosk { get; init; } = new();
    [JsonPropertyName("volume")] public VolumeThresholds Volume { get; init; } = new();
    [JsonPropertyName("sharedAccount")] public SharedAccountSettings SharedAccount { get; init; } = new();
    [JsonPropertyName("repeatedSubject")] public RepeatedSubjectSettings RepeatedSubject { get; init; } = new();
    [JsonPropertyName("postLoan")] public PostLoanSettings PostLoan { get; init; } = new();
    [JsonPropertyName("postLoanCumulative")] public PostLoanCumulativeSettings PostLoanCumulative { get; init; } = new();
    [JsonPropertyName("dormant")] public DormantSettings Dormant { get; init; } = new();
    [JsonPropertyName("loginFailures")] public LoginFailureSettings LoginFailures { get; init; } = new();
    [JsonPropertyName("passwordAge")] public PasswordAgeSettings PasswordAge { get; init; } = new();
    [JsonPropertyName("roleConflict")] public RoleConflictSettings RoleConflict { get; init; } = new();
    [JsonPropertyName("repeatRatio")] public RepeatRatioSettings RepeatRatio { get; init; } = new();
    [JsonPropertyName("windowTerminal")] public WindowTerminalSettings WindowTerminal { get; init; } = new();
    [JsonPropertyName("registerMismatch")] public RegisterMismatchSettings RegisterMismatch { get; init; } = new();
    [JsonPropertyName("leaverAccount")] public LeaverAccountSettings LeaverAccount { get; init; } = new();
    [JsonPropertyName("adminGovernance")] public AdminGovernanceSettings AdminGovernance { get; init; } = new();
}

/// <summary>A span of local time of day, HH:mm (end may be 24:00).</summary>
public record HoursRange
{
    [JsonPropertyName("start")] public string Start { get; init; } = "08:00";
    [JsonPropertyName("end")] public string End { get; init; } = "18:00";
}

/// <summary>A branch's working hours on working days; <c>channels</c> gives some channels hours of their own.</summary>
public sealed record WorkingHours : HoursRange
{
    [JsonPropertyName("channels")] public IReadOnlyDictionary<string, HoursRange> Channels { get; init; } = new Dictionary<string, HoursRange>();
}

/// <summary>Which channels OFF_HOURS ignores: batch jobs run at night by design, kiosks have a rule of their own.</summary>
public sealed record OffHoursSettings
{
    [JsonPropertyName("exemptChannels")] public IReadOnlyList<string> ExemptChannels { get; init; } = ["batch", "self_service_kiosk"];
}

/// <summary>When a self-service kiosk may be used (KIOSK_OFF_HOURS): its hours, and whether on non-working days too.</summary>
public sealed record KioskSettings
{
    [JsonPropertyName("start")] public string Start { get; init; } = "08:00";
    [JsonPropertyName("end")] public string End { get; init; } = "20:00";
    [JsonPropertyName("nonWorkingDays")] public bool NonWorkingDays { get; init; } = true;
}

/// <summary>
/// VOLUME_SPIKE: fixed query-count thresholds (null switches one off), and the relative one: a day far above
/// the entity's usual day of the same kind (that weekday, or a non-working day).
/// </summary>
public sealed record VolumeThresholds
{
    [JsonPropertyName("userDaily")] public int? UserDaily { get; init; } = 150;
    [JsonPropertyName("userMonthly")] public int? UserMonthly { get; init; } = 2500;
    [JsonPropertyName("branchDaily")] public int? BranchDaily { get; init; } = 1500;
    [JsonPropertyName("branchMonthly")] public int? BranchMonthly { get; init; } = 25000;
    [JsonPropertyName("subtreeDaily")] public int? SubtreeDaily { get; init; } = 15000;
    [JsonPropertyName("subtreeMonthly")] public int? SubtreeMonthly { get; init; } = 250000;
    [JsonPropertyName("relativeFactor")] public double? RelativeFactor { get; init; } = 4;
    [JsonPropertyName("relativeMinUser")] public int RelativeMinUser { get; init; } = 60;
    [JsonPropertyName("relativeMinBranch")] public int RelativeMinBranch { get; init; } = 400;
    [JsonPropertyName("relativeMinHistoryDays")] public int RelativeMinHistoryDays { get; init; } = 3;
}

/// <summary>SHARED_ACCOUNT: one account on two terminals or addresses within a window; one employee behind several query accounts.</summary>
public sealed record SharedAccountSettings
{
    [JsonPropertyName("windowMinutes")] public int WindowMinutes { get; init; } = 10;
    [JsonPropertyName("accountsPerEmployee")] public int AccountsPerEmployee { get; init; } = 1;
    [JsonPropertyName("lookbackDays")] public int LookbackDays { get; init; } = 30;

    /// <summary>One person behind several accounts is a standing condition: raised again only when the accounts change, or after this many days.</summary>
    [JsonPropertyName("repeatDays")] public int RepeatDays { get; init; } = 7;
}

/// <summary>REPEATED_SUBJECT: one user reading one subject again and again; many users or branches reading one subject.</summary>
public sealed record RepeatedSubjectSettings
{
    [JsonPropertyName("perUserCount")] public int PerUserCount { get; init; } = 4;
    [JsonPropertyName("perUserWindowHours")] public int PerUserWindowHours { get; init; } = 72;
    [JsonPropertyName("distinctUsers")] public int DistinctUsers { get; init; } = 4;
    [JsonPropertyName("distinctBranches")] public int DistinctBranches { get; init; } = 3;
    [JsonPropertyName("crossWindowHours")] public int CrossWindowHours { get; init; } = 24;
}

/// <summary>POST_LOAN_ABUSE: post-loan queries on subjects the branch never had authorized, or a user's post-loan share jumping.</summary>
public sealed record PostLoanSettings
{
    [JsonPropertyName("unknownSubjectsPerDay")] public int UnknownSubjectsPerDay { get; init; } = 5;
    [JsonPropertyName("memoryDays")] public int MemoryDays { get; init; } = 400;
    [JsonPropertyName("warmupDays")] public int WarmupDays { get; init; } = 14;
    [JsonPropertyName("maxUsualUnknownShare")] public double MaxUsualUnknownShare { get; init; } = 0.3;
    [JsonPropertyName("countMin")] public int CountMin { get; init; } = 12;
    [JsonPropertyName("countFactor")] public double CountFactor { get; init; } = 4;
    [JsonPropertyName("shareMinQueries")] public int ShareMinQueries { get; init; } = 15;
    [JsonPropertyName("shareMin")] public double ShareMin { get; init; } = 0.6;
    [JsonPropertyName("shareFactor")] public double ShareFactor { get; init; } = 2.5;
    [JsonPropertyName("shareHistoryDays")] public int ShareHistoryDays { get; init; } = 5;
}

/// <summary>
/// POST_LOAN_CUMULATIVE, low and slow: a user's post-loan reads of subjects its branch never authorised, summed over a
/// rolling window, against what the branch's usual share of such subjects predicts for that many post-loan reads. It
/// shares POST_LOAN_ABUSE's memory of known subjects, warm-up and <c>maxUsualUnknownShare</c>.
/// </summary>
public sealed record PostLoanCumulativeSettings
{
    /// <summary>The rolling window, in local days (today included).</summary>
    [JsonPropertyName("windowDays")] public int WindowDays { get; init; } = 14;

    /// <summary>Distinct unknown subjects (summed per day) the window must hold at least.</summary>
    [JsonPropertyName("minSubjects")] public int MinSubjects { get; init; } = 10;

    /// <summary>And at least this many times what the branch's usual unknown share predicts for the user's post-loan reads in the window.</summary>
    [JsonPropertyName("factor")] public double Factor { get; init; } = 3;

    /// <summary>And that far in the Poisson upper tail (taken at 1.5 × the prediction), in standard deviations.</summary>
    [JsonPropertyName("deviation")] public double Deviation { get; init; } = 3.5;

    /// <summary>A user still over it is raised again only after this many days, or when its count has doubled since.</summary>
    [JsonPropertyName("repeatDays")] public int RepeatDays { get; init; } = 7;
}

/// <summary>DORMANT_ACCOUNT: idle this many days, then a query; a disabled or suspended account querying is always critical.</summary>
public sealed record DormantSettings
{
    [JsonPropertyName("idleDays")] public int IdleDays { get; init; } = 30;
}

/// <summary>LOGIN_FAILURES: failed logins within a window, per account and per terminal.</summary>
public sealed record LoginFailureSettings
{
    [JsonPropertyName("perAccount")] public int PerAccount { get; init; } = 5;
    [JsonPropertyName("perTerminal")] public int PerTerminal { get; init; } = 10;
    [JsonPropertyName("windowMinutes")] public int WindowMinutes { get; init; } = 15;
}

/// <summary>PASSWORD_AGE: a password older than this many months (管理办法 §9(三): at least every two months).</summary>
public sealed record PasswordAgeSettings
{
    [JsonPropertyName("maxMonths")] public int MaxMonths { get; init; } = 2;
    [JsonPropertyName("repeatDays")] public int RepeatDays { get; init; } = 7;
}

/// <summary>ROLE_CONFLICT: how long an account seen under an employee counts as held by that employee.</summary>
public sealed record RoleConflictSettings
{
    [JsonPropertyName("lookbackDays")] public int LookbackDays { get; init; } = 90;

    /// <summary>A standing condition: raised again only when the accounts change, or after this many days.</summary>
    [JsonPropertyName("repeatDays")] public int RepeatDays { get; init; } = 7;
}

/// <summary>REPEAT_RATIO: share of subjects queried more than once among all a user queried over a look-back window.</summary>
public sealed record RepeatRatioSettings
{
    [JsonPropertyName("lookbackDays")] public int LookbackDays { get; init; } = 7;
    [JsonPropertyName("minSubjects")] public int MinSubjects { get; init; } = 30;
    [JsonPropertyName("threshold")] public double Threshold { get; init; } = 0.3;
}

/// <summary>
/// WINDOW_TERMINAL: a window-query account reads only from its dedicated query machines (查询专机, 用户管理规范
/// 5.3.2.2). <c>terminals</c> lists a branch's dedicated machines (set it per branch under <c>branches</c>); where no
/// list is given, each window-query account's first <c>learnTerminals</c> machines are taken as its own.
/// </summary>
public sealed record WindowTerminalSettings
{
    [JsonPropertyName("terminals")] public IReadOnlyList<string> Terminals { get; init; } = [];
    [JsonPropertyName("learnTerminals")] public int LearnTerminals { get; init; } = 1;
}

/// <summary>
/// REGISTER_MISMATCH (管理办法 §13, §22; 规范 5.3.2.2): each read of these purposes needs an entry of the approval register
/// for the same user, subject and purpose, approved at most <see cref="WindowHours"/> before the read or
/// <see cref="LateEntryMinutes"/> after it; one entry covers one read.
/// </summary>
public sealed record RegisterMismatchSettings
{
    /// <summary>
    /// The purposes whose reads the register must record: every purpose that needs an authorization, and post-loan
    /// management, which 管理办法 §13 sends to its own post-loan register (贷后风险管理查询审批登记簿).
    /// </summary>
    [JsonPropertyName("purposes")] public IReadOnlyList<string> Purposes { get; init; } =
        ["loan_approval", "credit_card_approval", "guarantor_review", "merchant_verification", "corporate_officer_review", "dispute_handling", "post_loan_management"];

    [JsonPropertyName("windowHours")] public int WindowHours { get; init; } = 24;
    [JsonPropertyName("lateEntryMinutes")] public int LateEntryMinutes { get; init; } = 60;

    /// <summary>How long after its approval an entry can still be taken by a read: past it, an unused entry is judged.</summary>
    [JsonIgnore] public TimeSpan EntryLife => TimeSpan.FromHours(WindowHours) + TimeSpan.FromMinutes(LateEntryMinutes);

    /// <summary>Whether entries no read used count as a mismatch too (the day's counts differ either way).</summary>
    [JsonPropertyName("unusedEntries")] public bool UnusedEntries { get; init; } = true;
}

/// <summary>
/// LEAVER_ACCOUNT (管理办法 §9(五), §21; 规范 5.3.2.3): the accounts of a person HR says left, or moved to another
/// branch, must be disabled within <see cref="DisableWithinDays"/> working days of the effective time (by the end of
/// that day, following the calendar) and never used after it.
/// </summary>
public sealed record LeaverAccountSettings
{
    [JsonPropertyName("disableWithinDays")] public int DisableWithinDays { get; init; } = 3;
}

/// <summary>
/// ADMIN_GOVERNANCE (管理办法 §9(二)(四), §26(四); 规范 5.1, 5.2): what a user administrator does to other accounts.
/// </summary>
public sealed record AdminGovernanceSettings
{
    /// <summary>Resets of other users' passwords one administrator may make in a calendar month.</summary>
    [JsonPropertyName("passwordResetsPerMonth")] public int PasswordResetsPerMonth { get; init; } = 20;

    /// <summary>Creations, disablings, enablings and role changes within <see cref="BurstMinutes"/> that make a burst.</summary>
    [JsonPropertyName("burstChanges")] public int BurstChanges { get; init; } = 10;

    [JsonPropertyName("burstMinutes")] public int BurstMinutes { get; init; } = 60;

    /// <summary>Whether account management outside the branch's working hours is a finding.</summary>
    [JsonPropertyName("offHours")] public bool OffHours { get; init; } = true;
}
