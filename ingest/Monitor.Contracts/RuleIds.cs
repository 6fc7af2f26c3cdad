namespace Monitor.Contracts;

/// <summary>The fixed rule ids of the daily-verification indicators (shared/domain.md); alerts carry exactly these.</summary>
public static class RuleIds
{
    public const string NoAuthorization = "NO_AUTHORIZATION";
    public const string QueryBeforeAuthorization = "QUERY_BEFORE_AUTHORIZATION";
    public const string OffHours = "OFF_HOURS";
    public const string AdminQuery = "ADMIN_QUERY";
    public const string SharedAccount = "SHARED_ACCOUNT";
    public const string VolumeSpike = "VOLUME_SPIKE";
    public const string RepeatedSubject = "REPEATED_SUBJECT";
    public const string PostLoanAbuse = "POST_LOAN_ABUSE";
    public const string DormantAccount = "DORMANT_ACCOUNT";
    public const string KioskOffHours = "KIOSK_OFF_HOURS";
    public const string LoginFailures = "LOGIN_FAILURES";
    public const string PasswordAge = "PASSWORD_AGE";
    public const string RoleConflict = "ROLE_CONFLICT";
    public const string RepeatRatio = "REPEAT_RATIO";
    public const string BehaviourOutlier = "BEHAVIOUR_OUTLIER";
    public const string WindowTerminal = "WINDOW_TERMINAL";
    public const string RegisterMismatch = "REGISTER_MISMATCH";
    public const string LeaverAccount = "LEAVER_ACCOUNT";
    public const string AdminGovernance = "ADMIN_GOVERNANCE";

    /// <summary>Low and slow: a user's unknown post-loan subjects over a rolling window far above its branch's usual (issue 18).</summary>
    public const string PostLoanCumulative = "POST_LOAN_CUMULATIVE";

    /// <summary>Every rule id: the brief's, in the brief's order, then those the sources added (issue 16), then the cumulative view (issue 18).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        NoAuthorization, QueryBeforeAuthorization, OffHours, AdminQuery, SharedAccount, VolumeSpike, RepeatedSubject,
        PostLoanAbuse, DormantAccount, KioskOffHours, LoginFailures, PasswordAge, RoleConflict, RepeatRatio, BehaviourOutlier,
        WindowTerminal, RegisterMismatch, LeaverAccount, AdminGovernance, PostLoanCumulative,
    ];
}
