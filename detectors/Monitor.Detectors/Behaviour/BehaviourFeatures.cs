namespace Monitor.Detectors.Behaviour;

/// <summary>
/// The features of a day window, in vector order (docs/models.md). Counts enter the models as log(1 + n) so
/// that a busy user is not "far" from a quiet one merely by size; shares are 0–1.
/// </summary>
public static class BehaviourFeatures
{
    public const int Queries = 0;
    public const int RepeatShare = 1;
    public const int OffHoursShare = 2;
    public const int PostLoanShare = 3;
    public const int ApprovalShare = 4;
    public const int SelfQueryShare = 5;
    public const int OtherPurposeShare = 6;
    public const int FailureRate = 7;
    public const int Terminals = 8;
    public const int ForeignSubjectShare = 9;
    public const int EnterpriseShare = 10;
    public const int ActiveUsers = 11;
    public const int Count = 12;

    public static readonly string[] Names =
    [
        "queries", "repeat_share", "off_hours_share", "post_loan_share", "approval_share", "self_query_share",
        "other_purpose_share", "failure_rate", "terminals", "foreign_subject_share", "enterprise_share", "active_users",
    ];

    /// <summary>How an officer reads each feature in an explanation.</summary>
    public static readonly string[] Labels =
    [
        "queries", "repeated-subject share", "off-hours share", "post-loan share", "loan/card approval share", "self-query share",
        "other-purpose share", "failed/denied share", "terminals used", "share of subjects first seen at other branches", "enterprise share", "active users",
    ];

    /// <summary>The smallest spread of each feature that counts as one unit for the peer models: 10% in volume, 3 points of a share, half a terminal, one user.</summary>
    public static readonly double[] MinScale = [0.1, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.5, 0.03, 0.03, 1];

    /// <summary>Reports a window needs before peers judge it, or training learns from it: shares of a handful of reports say little.</summary>
    public const int MinPeerReports = 8;

    /// <summary>True for the features that are shares of the window's reports (judged against binomial noise).</summary>
    public static bool IsShare(int feature) => feature is not (Queries or Terminals or ActiveUsers);
}
