using System.Text.RegularExpressions;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Texts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed partial class ExplanationTextTests
{
    [Fact]
    public void Every_template_names_the_same_arguments_in_chinese_and_english_and_the_chinese_is_chinese()
    {
        foreach (var (key, (en, zh)) in Catalog.All)
        {
            Assert.True(Placeholders(en).SetEquals(Placeholders(zh)), $"{key}: '{en}' and '{zh}' name different arguments");
            if (Regex.IsMatch(en, "[a-z]{3}")) Assert.True(Cjk().IsMatch(zh), $"{key}: '{zh}' is not Chinese");
        }
    }

    [Fact]
    public void Every_rule_has_a_chinese_name()
    {
        Assert.All(RuleIds.All, r => Assert.Matches(Cjk(), ChineseNames.Rule(r)));
        Assert.Equal(RuleIds.All.Count, RuleIds.All.Select(ChineseNames.Rule).Distinct().Count());
    }

    [Fact]
    public void An_administrators_query_is_explained_in_chinese_and_english_and_its_suspension_and_branch_notice_too()
    {
        var h = new Harness().Feed(Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.Monday10));
        var alert = Assert.Single(h.Alerts(RuleIds.AdminQuery));
        Assert.Equal(alert.Explanation, alert.Explanations!.En);
        Assert.Equal("管理员用户 UA0101（用户管理员）于 2026-03-02 10:00:00 查询了信用报告；管理员用户不得直接查询信用信息", alert.Explanations.Zh);
        Assert.Equal(alert.Explanations.Zh, alert.ExplanationIn("zh-CN"));
        Assert.Equal(alert.Explanation, alert.ExplanationIn("en"));

        var command = Assert.Single(h.Output.Commands);
        Assert.Equal(command.Reason, command.Reasons!.En);
        Assert.StartsWith("管理员用户查询信用信息（严重，评分 ", command.Reasons.Zh);
        Assert.Contains("按暂停策略暂停用户", command.Reasons.Zh);
        Assert.EndsWith(alert.Explanations.Zh, command.Reasons.Zh);
        var notice = command.Notification!;
        Assert.Equal(notice.Subject, notice.Texts!.En.Subject);
        Assert.Equal(notice.Verify, notice.Texts.En.Verify);
        Assert.Equal("用户 UA0101 的征信查询权限已暂停（管理员用户查询信用信息）：请核实", notice.Texts.Zh.Subject);
        Assert.Equal(notice.Verify.Count, notice.Texts.Zh.Verify.Count);
        Assert.All(notice.Texts.Zh.Verify, v => Assert.Matches(Cjk(), v));
    }

    [Fact]
    public void A_weekend_query_names_the_day_of_the_week_in_chinese()
    {
        var alert = Assert.Single(new Harness().Feed(Ev.Query(at: Ev.At(2026, 3, 7, 10, 0))).Alerts(RuleIds.OffHours));
        Assert.Contains("星期六，周末", alert.Explanations!.Zh);
        Assert.Contains("Saturday, a weekend day", alert.Explanation);
    }

    [Fact]
    public void A_withheld_suspension_is_explained_in_both_languages()
    {
        var h = Harness.FromJson("""{ "suspension": { "protected": ["UA0101"] } }""").Feed(Ev.Query(user: "UA0101", role: UserRole.UserAdmin));
        var alert = Assert.Single(h.Alerts(RuleIds.AdminQuery));
        Assert.Contains("UA0001 is a protected account".Replace("UA0001", "UA0101"), alert.Explanation);
        Assert.Contains("【未自动暂停 UA0101：UA0101 为受保护用户，不自动暂停。须由安全管理员决定。】", alert.Explanations!.Zh);
        Assert.Equal(alert.Explanation, alert.Explanations.En);
    }

    [Fact]
    public void A_phrase_survives_a_snapshot_with_its_nested_arguments()
    {
        var phrase = Phrase.Of("VOLUME_SPIKE.daily", Phrase.Of("label.user", "Q1"), 151, "2026-03-03", 150);
        using var w = new StateWriter();
        w.WritePhrase(phrase);
        using var r = StateReader.Open(w.ToArray());
        var back = r.ReadPhrase();
        Assert.Equal(phrase, back);
        Assert.Equal("用户 Q1 于 2026-03-03 查询了 151 份信用报告；每日阈值为 150 份", back.Zh);
    }

    [Fact]
    public void A_snapshot_of_an_older_schema_is_refused_naming_both_versions_not_misread()
    {
        using var w = new StateWriter();
        w.WritePhrase(Phrase.Of("label.user", "Q1"));
        var bytes = w.ToArray();
        BitConverter.GetBytes(StateSchema.OldestReadable - 1).CopyTo(bytes, 4);
        var refused = Assert.Throws<StateFormatException>(() => StateReader.Open(bytes).Dispose());
        Assert.Equal(StateSchema.OldestReadable - 1, refused.Version);
        Assert.Contains($"written by state schema {StateSchema.OldestReadable - 1}", refused.Message);
    }

    private static HashSet<string> Placeholders(string template) => [.. Regex.Matches(template, @"\{\d+\}").Select(m => m.Value)];

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();
}
