namespace Monitor.Reports;

/// <summary>How the reports name purposes, severities, verdicts and escalation levels in each language.</summary>
internal static class Names
{
    private static readonly Dictionary<string, string> PurposeZh = new(StringComparer.Ordinal)
    {
        ["loan_approval"] = "贷款审批", ["credit_card_approval"] = "信用卡审批", ["guarantor_review"] = "担保资格审查",
        ["post_loan_management"] = "贷后管理", ["merchant_verification"] = "特约商户实名审查", ["corporate_officer_review"] = "法定代表人及高管资信审查",
        ["dispute_handling"] = "异议处理", ["self_query"] = "本人查询", ["legal_authority"] = "依法查询", ["unstated"] = "未填写",
    };

    public static string Purpose(string wire, ReportLanguage l) => l.IsChinese ? PurposeZh.GetValueOrDefault(wire, wire) : wire.Replace('_', ' ');

    public static string Severity(string s, ReportLanguage l) => !l.IsChinese ? s : s switch
    {
        "critical" => "严重", "high" => "高", "medium" => "中", "low" => "低", _ => s,
    };

    public static string Verdict(string v, ReportLanguage l) => v switch
    {
        Store.ItemVerdict.Legitimate => l.T("合规", "legitimate"),
        Store.ItemVerdict.Violation => l.T("违规", "violation"),
        _ => v,
    };

    public static string Escalation(int level, ReportLanguage l) => level switch
    {
        Store.SheetStatus.Parent => l.T("上级行", "parent branch"),
        Store.SheetStatus.HeadOffice => l.T("总行", "head office"),
        _ => l.T("无", "none"),
    };
}
