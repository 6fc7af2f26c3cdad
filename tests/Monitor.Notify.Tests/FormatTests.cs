using System.Text;
using System.Text.Json;
using Monitor.Contracts;
using Xunit;

namespace Monitor.Notify.Tests;

public sealed class FormatTests
{
    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement.Clone();

    [Fact]
    public void A_wecom_robot_gets_a_markdown_message_in_chinese_with_the_facts_and_the_explanation()
    {
        var body = Json(MessageFormats.Body(Samples.Builder("https://monitor.bank.local/").Alert(Samples.Alert()), Samples.Hook(NotificationChannel.WeCom)));
        Assert.Equal("markdown", body.GetProperty("msgtype").GetString());
        var content = body.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.StartsWith("### 【严重告警】管理员用户查询信用信息：用户 UA0101\n> **规则：** 管理员用户查询信用信息（ADMIN_QUERY）", content);
        Assert.Contains("> **时间：** 2026-03-02 10:00:00", content);
        Assert.Contains("管理员用户 UA0101（用户管理员）于 2026-03-02 10:00:00 查询了信用报告", content);
        Assert.EndsWith("[打开控制台](https://monitor.bank.local/)", content);
        Assert.Equal(["msgtype", "markdown"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_wecom_text_message_mentions_by_mobile_number()
    {
        var channel = Samples.Hook(NotificationChannel.WeCom, "text") with { Mention = ["13800001111"] };
        var text = Json(MessageFormats.Body(Samples.Builder().Alert(Samples.Alert()), channel)).GetProperty("text");
        Assert.StartsWith("【严重告警】", text.GetProperty("content").GetString());
        Assert.Equal(["13800001111"], text.GetProperty("mentioned_mobile_list").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_dingtalk_robot_gets_a_titled_markdown_message_and_an_at_list()
    {
        var channel = Samples.Hook(NotificationChannel.DingTalk) with { Mention = ["13800001111"] };
        var body = Json(MessageFormats.Body(Samples.Builder().Suspension(Samples.Suspension(), RuleIds.AdminQuery, "critical"), channel));
        Assert.Equal("markdown", body.GetProperty("msgtype").GetString());
        Assert.Equal("【自动暂停】用户 UA0101 的征信查询权限已暂停", body.GetProperty("markdown").GetProperty("title").GetString());
        Assert.EndsWith("@13800001111", body.GetProperty("markdown").GetProperty("text").GetString());
        Assert.Equal(["13800001111"], body.GetProperty("at").GetProperty("atMobiles").EnumerateArray().Select(e => e.GetString()));
        Assert.False(body.GetProperty("at").GetProperty("isAtAll").GetBoolean());
    }

    [Fact]
    public void A_dingtalk_robot_with_a_secret_is_called_with_its_timestamp_and_signature()
    {
        var channel = Samples.Hook(NotificationChannel.DingTalk) with { Url = "https://oapi.dingtalk.com/robot/send?access_token=abc", Secret = "SECtest123" };
        var address = MessageFormats.Address(channel, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        // HMAC-SHA256 of "1700000000000\nSECtest123" keyed by the secret, base64, URL-encoded (DingTalk's 加签).
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu%2BUt1LE48MePE%3D", address.AbsoluteUri);
        Assert.Equal(new Uri("https://robot.example/send?key=secret-key"), MessageFormats.Address(Samples.Hook(NotificationChannel.DingTalk), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Plain_json_carries_both_languages_and_the_alert_itself()
    {
        var body = Json(MessageFormats.Body(Samples.Builder().Alert(Samples.Alert()), Samples.Hook()));
        Assert.Equal("alert", body.GetProperty("kind").GetString());
        Assert.Equal("alert:al-1:critical", body.GetProperty("key").GetString());
        Assert.Equal("2026-03-02T10:00:05+08:00", body.GetProperty("at").GetString());
        Assert.Equal("[Critical alert] ADMIN_QUERY on user UA0101", body.GetProperty("title").GetProperty("en").GetString());
        Assert.StartsWith("【严重告警】", body.GetProperty("title").GetProperty("zh-CN").GetString());
        Assert.Equal("al-1", body.GetProperty("subject").GetProperty("alertId").GetString());
        Assert.StartsWith("管理员用户 UA0101", body.GetProperty("subject").GetProperty("explanations").GetProperty("zh-CN").GetString());
    }

    [Fact]
    public void The_branch_notice_lists_what_to_verify_and_both_languages_can_be_asked_for()
    {
        var notice = Samples.Builder().BranchNotice(Samples.Suspension())!;
        var (subject, text) = MessageFormats.Email(notice, new NotificationChannel { Type = NotificationChannel.Email, To = ["a@b.cn"], Language = "both" });
        Assert.Equal("用户 UA0101 的征信查询权限已暂停（管理员用户查询信用信息）：请核实 / Credit query permission of UA0101 suspended (ADMIN_QUERY): please verify", subject);
        Assert.Contains("1. 谁使用了该用户\n2. 报告核实结果", text);
        Assert.Contains("1. Who used it\n2. Report the outcome", text);
        Assert.True(text.IndexOf("谁使用了该用户", StringComparison.Ordinal) < text.IndexOf("Who used it", StringComparison.Ordinal));
    }

    [Fact]
    public void The_notices_name_the_branch_beside_its_id_when_the_banks_directory_has_a_name()
    {
        var named = new NoticeBuilder(Samples.Shanghai, null, new Monitor.Testing.FixedClock(Monitor.Testing.Ev.At(2026, 3, 2, 10)), id => id == "SB0101" ? "杭州城东支行" : null);
        var notice = named.BranchNotice(Samples.Suspension())!;
        var (_, text) = MessageFormats.Email(notice, new NotificationChannel { Type = NotificationChannel.Email, To = ["a@b.cn"], Language = "both" });
        Assert.Contains("杭州城东支行（SB0101）", text);
        Assert.Contains("杭州城东支行 (SB0101)", text);
        Assert.Equal("杭州城东支行（SB0101）", named.Alert(Samples.Alert()).Facts.Single(f => f.Name.En == "Branch").Value.Zh);
        Assert.Equal("【安全阀】机构 杭州城东支行（SB0101） 的自动暂停已停止", named.Valve("SB0101", null).Title.Zh);
        // A branch the directory does not name, and a builder without a directory: the id alone, as before.
        Assert.Equal("【安全阀】机构 SB0201 的自动暂停已停止", named.Valve("SB0201", null).Title.Zh);
        Assert.Equal("SB0101", Samples.Builder().BranchNotice(Samples.Suspension())!.Facts.Single(f => f.Name.En == "Branch").Value.Zh);
    }

    [Fact]
    public void A_message_longer_than_the_robot_takes_is_cut_at_a_character_with_an_ellipsis()
    {
        var long_ = Samples.Alert() with { Explanations = new Localized { Zh = new string('查', 3000), En = "x" } };
        var content = Json(MessageFormats.Body(Samples.Builder().Alert(long_), Samples.Hook(NotificationChannel.WeCom))).GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.True(Encoding.UTF8.GetByteCount(content) <= MessageFormats.WeComMarkdownBytes);
        Assert.EndsWith("查…", content);
    }
}
