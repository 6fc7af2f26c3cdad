using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// The notice a suspension sends to the user's branch. The standard (规范 5.3.2.3) asks the administrator who
/// suspends a user to tell the user's department to verify; what there is to verify depends on the rule, so
/// each rule names the questions the branch must answer. Written in Chinese for the branch and in English beside it.
/// </summary>
public static class VerificationNotice
{
    public static Notification For(string userId, string branchId, IReadOnlyList<Alert> alerts)
    {
        var verify = new List<Phrase>();
        var rules = alerts.Select(a => a.Rule).Distinct(StringComparer.Ordinal).ToList();
        foreach (var rule in rules)
            foreach (var ask in Asks(rule, userId))
                if (!verify.Contains(ask)) verify.Add(ask);
        verify.Add(Phrase.Of("notice.outcome", userId));
        var subject = Phrase.Of("notice.subject", userId, Phrase.Join("sep.comma", rules.Select(Catalog.Rule)));
        NoticeText In(bool english) => new()
        {
            Subject = Catalog.Render(subject, english),
            Verify = [.. verify.Select(v => Catalog.Render(v, english))],
        };
        var en = In(english: true);
        return new Notification
        {
            BranchId = branchId,
            Subject = en.Subject,
            Verify = en.Verify,
            Texts = new NoticeTexts { Zh = In(english: false), En = en },
        };
    }

    private static IEnumerable<Phrase> Asks(string rule, string user) => rule switch
    {
        "ADMIN_QUERY" => [Phrase.Of("ask.admin.who", user), Phrase.Of("ask.admin.purpose")],
        "DORMANT_ACCOUNT" => [Phrase.Of("ask.dormant.who", user), Phrase.Of("ask.dormant.close")],
        "NO_AUTHORIZATION" or "QUERY_BEFORE_AUTHORIZATION" => [Phrase.Of("ask.authorization")],
        "SHARED_ACCOUNT" => [Phrase.Of("ask.shared", user)],
        "OFF_HOURS" or "KIOSK_OFF_HOURS" => [Phrase.Of("ask.offHours")],
        "VOLUME_SPIKE" or "REPEATED_SUBJECT" or "REPEAT_RATIO" or "POST_LOAN_ABUSE" => [Phrase.Of("ask.register")],
        _ => [Phrase.Of("ask.default", user)],
    };
}
