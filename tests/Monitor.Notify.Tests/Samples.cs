using Monitor.Contracts;
using Monitor.Notify;
using Monitor.Testing;

namespace Monitor.Notify.Tests;

/// <summary>Notices and settings the notification tests share: an administrator's critical alert in SB0101, a tree of branches, channels of each kind.</summary>
internal static class Samples
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static NoticeBuilder Builder(string? console = null) => new(Shanghai, console, new FixedClock(Ev.At(2026, 3, 2, 10, 0, 5)));

    public static Alert Alert(string severity = "critical", string rule = RuleIds.AdminQuery, string branch = "SB0101", string id = "al-1") => new()
    {
        AlertId = id, Revision = 1, Rule = rule, EntityType = "user", EntityId = "UA0101", UserId = "UA0101", BranchId = branch,
        Severity = severity, Score = 80, Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1,
        Explanation = "administrator account UA0101 (role user_admin) read a credit report at 2026-03-02 10:00:00; administrator accounts may never query credit information",
        Explanations = new Localized
        {
            Zh = "管理员用户 UA0101（用户管理员）于 2026-03-02 10:00:00 查询了信用报告；管理员用户不得直接查询信用信息",
            En = "administrator account UA0101 (role user_admin) read a credit report at 2026-03-02 10:00:00; administrator accounts may never query credit information",
        },
        Evidence = ["ev-1"], SuspensionRequested = true,
    };

    public static PermissionCommand Suspension(string branch = "SB0101") => new()
    {
        CommandId = "cmd-1", Action = "suspend", UserId = "UA0101", BranchId = branch, Reason = "ADMIN_QUERY (critical, score 80): …",
        Reasons = new Localized { Zh = "管理员用户查询信用信息（严重，评分 80）：…", En = "ADMIN_QUERY (critical, score 80): …" },
        AlertIds = ["al-1"], IssuedAt = Ev.Monday10,
        Notification = new Notification
        {
            BranchId = branch, Subject = "Credit query permission of UA0101 suspended (ADMIN_QUERY): please verify", Verify = ["Who used it", "Report the outcome"],
            Texts = new NoticeTexts
            {
                Zh = new NoticeText { Subject = "用户 UA0101 的征信查询权限已暂停（管理员用户查询信用信息）：请核实", Verify = ["谁使用了该用户", "报告核实结果"] },
                En = new NoticeText { Subject = "Credit query permission of UA0101 suspended (ADMIN_QUERY): please verify", Verify = ["Who used it", "Report the outcome"] },
            },
        },
    };

    /// <summary>SB0101 and SB0102 below BR01, below head office HO.</summary>
    public static IReadOnlyList<string> Line(string branch) => branch switch
    {
        "SB0101" => ["SB0101", "BR01", "HO"],
        "SB0102" => ["SB0102", "BR01", "HO"],
        "SB0201" => ["SB0201", "BR02", "HO"],
        _ => [branch],
    };

    public static NotificationChannel Hook(string type = NotificationChannel.Webhook, string format = "markdown") =>
        new() { Type = type, Url = "https://robot.example/send?key=secret-key", Format = format };
}
