using System.Globalization;
using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// Writes the notices of what the monitor did, in Chinese and English, from the outputs themselves: a critical alert,
/// an automatic suspension (for the security officers, and its branch notice for the branch's contact), a daily sheet
/// sent up a level, a branch whose automatic suspension the safety valve stopped. Times in the bank's zone; a branch
/// by its name from the bank's directory beside its id where the directory has one (<c>monitor import-names</c>).
/// </summary>
public sealed class NoticeBuilder(TimeZoneInfo zone, string? consoleUrl, TimeProvider clock, Func<string, string?>? branchName = null)
{
    /// <summary>The branch as the notices name it: "杭州城东支行（SB0101）", or its id alone when the directory has no name.</summary>
    private Localized BranchOf(string id) => branchName?.Invoke(id) is { } name ? L($"{name}（{id}）", $"{name} ({id})") : Localized.Same(id);

    private static Localized L(string zh, string en) => new() { Zh = zh, En = en };

    /// <summary>Now, in the bank's zone (the notices' times read as the API's do).</summary>
    private DateTimeOffset Now => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone);

    private string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Localized Rule(string rule) => L($"{ChineseNames.Rule(rule)}（{rule}）", rule);

    private static Localized Severity(string s) => L(ChineseNames.Of(s), s);

    /// <summary>An alert at the severity it has now; its key names that severity, so it is told again when it rises.</summary>
    public Notice Alert(Alert a) => new()
    {
        Kind = NotificationRoute.Alert,
        Key = $"alert:{a.AlertId}:{a.Severity}",
        Rule = a.Rule,
        Severity = a.Severity,
        BranchId = a.BranchId,
        Title = L($"【{ChineseNames.Of(a.Severity)}告警】{ChineseNames.Rule(a.Rule)}：{ChineseNames.Of(a.EntityType)} {a.EntityId}",
            $"[{Cap(a.Severity)} alert] {a.Rule} on {a.EntityType} {a.EntityId}"),
        Facts =
        [
            (L("规则", "Rule"), Rule(a.Rule)),
            (L("严重程度", "Severity"), L($"{ChineseNames.Of(a.Severity)}（评分 {a.Score}）", $"{a.Severity} (score {a.Score})")),
            (L("对象", "Entity"), L($"{ChineseNames.Of(a.EntityType)} {a.EntityId}", $"{a.EntityType} {a.EntityId}")),
            .. Optional(L("用户", "User"), a.UserId is { } u && (a.EntityType != "user" || u != a.EntityId) ? u : null),
            .. (a.BranchId is { } branch ? [(L("机构", "Branch"), BranchOf(branch))] : Array.Empty<(Localized, Localized)>()),
            (L("时间", "Time"), Localized.Same(Local(a.EventTime))),
            (L("发现次数", "Findings"), Localized.Same(a.Count.ToString(CultureInfo.InvariantCulture))),
            (L("告警编号", "Alert"), Localized.Same(a.AlertId)),
        ],
        Text = a.Explanations ?? Localized.Same(a.Explanation),
        Subject = a,
        Link = consoleUrl,
        At = Now,
    };

    /// <summary>An automatic suspension, for the security officers.</summary>
    public Notice Suspension(PermissionCommand c, string? rule, string? severity) => new()
    {
        Kind = NotificationRoute.Suspension,
        Key = $"suspension:{c.CommandId}",
        Rule = rule,
        Severity = severity,
        BranchId = c.BranchId,
        Title = L($"【自动暂停】用户 {c.UserId} 的征信查询权限已暂停", $"[Suspension] credit query permission of {c.UserId} suspended"),
        Facts =
        [
            (L("用户", "User"), Localized.Same(c.UserId)),
            (L("机构", "Branch"), BranchOf(c.BranchId)),
            (L("时间", "Time"), Localized.Same(Local(c.IssuedAt))),
            (L("指令编号", "Command"), Localized.Same(c.CommandId)),
            (L("告警", "Alerts"), Localized.Same(string.Join(", ", c.AlertIds))),
        ],
        Text = c.Reasons ?? Localized.Same(c.Reason),
        Subject = c,
        Link = consoleUrl,
        At = Now,
    };

    /// <summary>The notice of a command for its branch's contact (规范 5.3.2.3: the user's department verifies).</summary>
    public Notice? BranchNotice(PermissionCommand c)
    {
        if (c.Notification is not { } n) return null;
        var zh = n.In(Locales.ZhCn);
        var en = n.In(Locales.En);
        return new Notice
        {
            Kind = Notice.BranchNoticeKind,
            Key = $"branch-notice:{c.CommandId}",
            BranchId = n.BranchId,
            Title = L(zh.Subject, en.Subject),
            Facts =
            [
                (L("用户", "User"), Localized.Same(c.UserId)),
                (L("机构", "Branch"), BranchOf(n.BranchId)),
                (L("时间", "Time"), Localized.Same(Local(c.IssuedAt))),
                (L("指令编号", "Command"), Localized.Same(c.CommandId)),
            ],
            Items = [.. zh.Verify.Zip(en.Verify, (z, e) => L(z, e))],
            Subject = new { commandId = c.CommandId, action = c.Action, userId = c.UserId, notification = n },
            At = Now,
        };
    }

    /// <summary>A branch whose automatic suspension the safety valve stopped.</summary>
    public Notice Valve(string branchId, DateTimeOffset? eventTime) => new()
    {
        Kind = NotificationRoute.Valve,
        Key = $"valve:{branchId}:{(eventTime ?? clock.GetUtcNow()).UtcTicks}",
        BranchId = branchId,
        Title = L($"【安全阀】机构 {BranchOf(branchId).Zh} 的自动暂停已停止", $"[Safety valve] automatic suspension stopped in branch {BranchOf(branchId).En}"),
        Facts =
        [
            (L("机构", "Branch"), BranchOf(branchId)),
            .. Optional(L("时间", "Time"), eventTime is { } t ? Local(t) : null),
        ],
        Text = L($"机构 {branchId} 一小时内自动暂停的用户过多，其后的自动暂停均不执行，相关告警升为严重，待安全管理员处理；核实后在控制台或通过 POST /api/branches/{branchId}/reopen 重新开启。",
            $"Branch {branchId} had too many automatic suspensions within an hour: further ones are withheld and their alerts raised to critical for an officer; once looked into, reopen it in the console or with POST /api/branches/{branchId}/reopen."),
        Subject = new { branchId, eventTime },
        Link = consoleUrl,
        At = Now,
    };

    /// <summary>A daily sheet not signed in time, sent up to the parent branch (level 1) or head office (level 2).</summary>
    public Notice Escalation(string branchId, string day, int level) => new()
    {
        Kind = NotificationRoute.Escalation,
        Key = $"escalation:{branchId}:{day}:{level}",
        BranchId = branchId,
        Title = L($"【日核查逾期】机构 {BranchOf(branchId).Zh} {day} 的日核查表未按时签核，已上报{(level >= 2 ? "总行" : "上级行")}",
            $"[Daily sheet overdue] branch {BranchOf(branchId).En}'s sheet of {day} was not signed in time and went to {(level >= 2 ? "head office" : "the parent branch")}"),
        Facts =
        [
            (L("机构", "Branch"), BranchOf(branchId)),
            (L("日期", "Day"), Localized.Same(day)),
            (L("上报至", "Escalated to"), level >= 2 ? L("总行", "head office") : L("上级行", "parent branch")),
        ],
        Subject = new { branchId, day, escalation = level, escalatedTo = level >= 2 ? "head-office" : "parent" },
        Link = consoleUrl,
        At = Now,
    };

    private static IEnumerable<(Localized, Localized)> Optional(Localized name, string? value) => value is null ? [] : [(name, Localized.Same(value))];

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
