using Monitor.Contracts;

namespace Monitor.Cli.Commands;

/// <summary>
/// The words of the demo's live view in one language (<c>demo --lang</c>): Chinese by default, as the officers read,
/// English on request. Labels are short enough for the view's 10-column label column (a Chinese character counts two).
/// </summary>
internal sealed record DemoTexts(
    string Lang,
    string Title,
    string Progress,
    string Throughput,
    string EventTime,
    string Found,
    string ByRule,
    string Latest,
    string Suspensions,
    string NoneYet,
    Func<long, long, string> Counts,
    Func<double, long, string> Rate,
    Func<long, long, string> Trouble,
    Func<long, long, long, string> Findings,
    Func<int, string> More,
    Func<string, string, string> Suspended)
{
    public static readonly DemoTexts Chinese = new(
        Locales.ZhCn,
        "Monitor 演示：嵌入式 Kafka 上的模拟银行",
        "进度", "吞吐量", "事件时间", "已发现",
        "按规则统计告警", "最新告警", "暂停查询权限指令", "暂无",
        (done, total) => $"已处理 {done:N0} / {total:N0} 条事件",
        (rate, produced) => $"每秒 {rate:N0} 条事件；模拟银行已产生 {produced:N0} 条",
        (dead, duplicates) => $"死信 {dead:N0} 条，重复 {duplicates:N0} 条",
        (alerts, suspensions, injected) => $"告警 {alerts:N0} 条，暂停 {suspensions:N0} 次；注入违规场景 {injected:N0} 个",
        n => $"另有 {n} 条",
        (user, branch) => $"{user}（{branch}）：");

    public static readonly DemoTexts English = new(
        Locales.En,
        "Monitor demo: simulated bank on an embedded Kafka",
        "progress", "throughput", "event time", "found",
        "alerts by rule", "latest alerts", "suspension commands", "none yet",
        (done, total) => $"{done:N0} of {total:N0} events",
        (rate, produced) => $"{rate:N0} events/s; the bank has produced {produced:N0}",
        (dead, duplicates) => $"{Count(dead, "dead letter")}, {Count(duplicates, "duplicate")}",
        (alerts, suspensions, injected) => $"{Count(alerts, "alert")}, {Count(suspensions, "suspension")}; {Count(injected, "incident")} injected",
        n => $"+{n} more",
        (user, branch) => $"{user} at {branch}: ");

    /// <summary>The texts of <paramref name="tag"/>: English for en, Chinese otherwise.</summary>
    public static DemoTexts Of(string? tag) => Locales.IsEnglish(tag) ? English : Chinese;

    /// <summary>The severity in 8 display columns, in this language.</summary>
    public string Severity(string s) => Lang == Locales.En ? s : ChineseNames.Of(s);

    private static string Count(long n, string what) => $"{n:N0} {what}{(n == 1 ? "" : "s")}";
}
