using Monitor.Contracts;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// The notice a suspension sends to the user's branch. The standard (规范 5.3.2.3) asks the administrator who
/// suspends a user to tell the user's department to verify; what there is to verify depends on the rule, so
/// each rule names the questions the branch must answer.
/// </summary>
public static class VerificationNotice
{
    public static Notification For(string userId, string branchId, IReadOnlyList<Alert> alerts)
    {
        var verify = new List<string>();
        foreach (var rule in alerts.Select(a => a.Rule).Distinct(StringComparer.Ordinal))
            foreach (var ask in Asks(rule, userId))
                if (!verify.Contains(ask)) verify.Add(ask);
        verify.Add($"Report the outcome to the credit security officer, who confirms the alerts as violations or dismisses them; {userId} stays suspended until an officer reinstates the account.");
        var rules = string.Join(", ", alerts.Select(a => a.Rule).Distinct(StringComparer.Ordinal));
        return new Notification
        {
            BranchId = branchId,
            Subject = $"Credit query permission of {userId} suspended ({rules}): please verify",
            Verify = verify,
        };
    }

    private static IEnumerable<string> Asks(string rule, string user) => rule switch
    {
        "ADMIN_QUERY" =>
        [
            $"Who used administrator account {user} to read credit reports, from which terminal: administrator accounts may never read credit information.",
            "For each report read (the alert's evidence), the business purpose and the written authorization, or a statement that there was none.",
        ],
        "DORMANT_ACCOUNT" =>
        [
            $"Who holds account {user} and its password, and why a disabled, suspended or long-idle account was querying.",
            "Whether the account should be closed (staff who left must be disabled).",
        ],
        "NO_AUTHORIZATION" or "QUERY_BEFORE_AUTHORIZATION" =>
        [
            "The signed written authorization for each query in the evidence, with its date; a query without one is a violation to report.",
        ],
        "SHARED_ACCOUNT" =>
        [
            $"Who used account {user} on each terminal and address in the evidence: one account belongs to one person.",
        ],
        "OFF_HOURS" or "KIOSK_OFF_HOURS" =>
        [
            "Who queried outside working hours, on which machine, and for what business purpose.",
        ],
        "VOLUME_SPIKE" or "REPEATED_SUBJECT" or "REPEAT_RATIO" or "POST_LOAN_ABUSE" =>
        [
            "Whether the queries in the evidence match the query register and real business (loan files, post-loan reviews), and who asked for them.",
        ],
        _ =>
        [
            $"Whether the queries of {user} in the evidence were made by the account's holder, for the stated purpose, with authorization where required.",
        ],
    };
}
