namespace Monitor.Contracts;

/// <summary>
/// How the monitor names its rules and the contract's values for Chinese readers, in the wording of the regulation
/// where it has one (银发〔2018〕102号, the bank's 个人征信系统管理办法, the 用户管理规范): the alert explanations, the branch
/// notices, the notifications and the console all say the same.
/// </summary>
public static class ChineseNames
{
    private static readonly Dictionary<string, string> Rules = new(StringComparer.Ordinal)
    {
        [RuleIds.NoAuthorization] = "未经授权查询",
        [RuleIds.QueryBeforeAuthorization] = "先查询后授权",
        [RuleIds.OffHours] = "非工作时间查询",
        [RuleIds.AdminQuery] = "管理员用户查询信用信息",
        [RuleIds.SharedAccount] = "账户共用（人户不统一）",
        [RuleIds.VolumeSpike] = "查询量异常",
        [RuleIds.RepeatedSubject] = "同一客户被反复查询",
        [RuleIds.PostLoanAbuse] = "贷后管理查询异常",
        [RuleIds.DormantAccount] = "停用或长期未用用户查询",
        [RuleIds.KioskOffHours] = "自助查询机非开放时间使用",
        [RuleIds.LoginFailures] = "登录失败次数过多",
        [RuleIds.PasswordAge] = "密码超期未更换",
        [RuleIds.RoleConflict] = "用户管理员与查询用户兼任",
        [RuleIds.RepeatRatio] = "重复查询率过高",
        [RuleIds.BehaviourOutlier] = "查询行为异常（模型）",
        [RuleIds.WindowTerminal] = "未通过查询专机查询",
        [RuleIds.RegisterMismatch] = "查询与登记簿记载不一致",
        [RuleIds.LeaverAccount] = "离岗人员用户未停用",
        [RuleIds.AdminGovernance] = "用户管理员违规管理用户",
        [RuleIds.PostLoanCumulative] = "贷后管理查询累计异常",
    };

    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        // purposes (查询原因)
        ["loan_approval"] = "贷款审批", ["credit_card_approval"] = "信用卡审批", ["guarantor_review"] = "担保资格审查",
        ["post_loan_management"] = "贷后管理", ["merchant_verification"] = "特约商户实名审查", ["corporate_officer_review"] = "法定代表人及高管资信审查",
        ["dispute_handling"] = "异议处理", ["self_query"] = "本人查询", ["legal_authority"] = "依法查询",
        // roles (用户类型)
        ["query_operator"] = "查询用户", ["window_query"] = "窗口查询用户", ["dispute_handler"] = "异议处理用户",
        ["user_admin"] = "用户管理员", ["general_admin"] = "一般管理员用户", ["super_admin"] = "超级管理员用户",
        // channels
        ["counter"] = "柜面", ["self_service_kiosk"] = "自助查询机", ["batch"] = "批量", ["api"] = "系统接口",
        // outcomes
        ["success"] = "成功", ["failed"] = "失败", ["denied"] = "被拒绝",
        // account actions
        ["created"] = "创建", ["disabled"] = "停用", ["enabled"] = "启用", ["suspended"] = "暂停", ["reinstated"] = "恢复",
        ["role_changed"] = "变更角色", ["password_changed"] = "修改密码",
        // HR
        ["joined"] = "入职", ["left"] = "离职", ["transferred"] = "调动",
        // severities
        ["critical"] = "严重", ["high"] = "高", ["medium"] = "中", ["low"] = "低",
        // entity types
        ["user"] = "用户", ["branch"] = "机构", ["employee"] = "员工", ["terminal"] = "终端", ["subject"] = "查询对象",
    };

    /// <summary>The rule's Chinese name (the id itself for an unknown one).</summary>
    public static string Rule(string ruleId) => Rules.GetValueOrDefault(ruleId, ruleId);

    /// <summary>The Chinese name of a wire value (a purpose, role, channel, outcome, action), a severity or an entity type; the value itself when it has none.</summary>
    public static string Of(string wire) => Values.GetValueOrDefault(wire, wire);

    /// <summary>The Chinese name of an enum value of the contract.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Of(WireNames.Of(value));
}
