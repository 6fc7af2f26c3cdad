using Monitor.Contracts;
using Xunit;

namespace Monitor.Notify.Tests;

public sealed class RoutingTests
{
    private static NotificationSettings Settings(params NotificationRoute[] routes) => new()
    {
        Channels = new Dictionary<string, NotificationChannel>
        {
            ["security"] = Samples.Hook(NotificationChannel.WeCom), ["ops"] = Samples.Hook(), ["br01"] = Samples.Hook(NotificationChannel.DingTalk),
            ["sb0101-robot"] = Samples.Hook(NotificationChannel.WeCom),
        },
        Routes = routes,
        Contacts = new Dictionary<string, BranchContact>
        {
            ["SB0101"] = new() { Channels = ["sb0101-robot"], Email = ["head@sb0101.bank.cn"] },
            ["BR01"] = new() { Email = ["security@br01.bank.cn"] },
        },
    };

    private static string[] To(NotificationSettings s, Notice n) => [.. NoticeRouter.Route(s, n, Samples.Line(n.BranchId ?? "")).Select(r => r.Name)];

    [Fact]
    public void A_critical_alert_goes_to_every_route_that_takes_it_and_each_channel_once()
    {
        var s = Settings(new NotificationRoute { To = ["security"] }, new NotificationRoute { Events = ["alert"], To = ["security", "ops"] });
        Assert.Equal(["security", "ops"], To(s, Samples.Builder().Alert(Samples.Alert())));
    }

    [Fact]
    public void Routes_take_alerts_at_their_severity_or_worse_critical_by_default()
    {
        var s = Settings(new NotificationRoute { To = ["security"] }, new NotificationRoute { MinSeverity = "high", To = ["ops"] });
        Assert.Equal(["security", "ops"], To(s, Samples.Builder().Alert(Samples.Alert("critical"))));
        Assert.Equal(["ops"], To(s, Samples.Builder().Alert(Samples.Alert("high"))));
        Assert.Empty(To(s, Samples.Builder().Alert(Samples.Alert("medium"))));
    }

    [Fact]
    public void A_route_by_rule_takes_only_those_rules_and_no_event_without_one()
    {
        var s = Settings(new NotificationRoute { Rules = [RuleIds.DormantAccount], To = ["security"] });
        Assert.Empty(To(s, Samples.Builder().Alert(Samples.Alert(rule: RuleIds.AdminQuery))));
        Assert.Equal(["security"], To(s, Samples.Builder().Alert(Samples.Alert(rule: RuleIds.DormantAccount))));
        Assert.Empty(To(s, Samples.Builder().Valve("SB0101", null)));
    }

    [Fact]
    public void A_route_by_branch_takes_that_branch_and_the_branches_below_it()
    {
        var s = Settings(new NotificationRoute { Branches = ["BR01"], Events = ["alert", "valve", "escalation"], To = ["br01"] });
        Assert.Equal(["br01"], To(s, Samples.Builder().Alert(Samples.Alert(branch: "SB0102"))));
        Assert.Equal(["br01"], To(s, Samples.Builder().Escalation("SB0101", "2026-03-02", 1)));
        Assert.Empty(To(s, Samples.Builder().Alert(Samples.Alert(branch: "SB0201"))));
    }

    [Fact]
    public void A_route_by_event_takes_only_those_kinds()
    {
        var s = Settings(new NotificationRoute { Events = ["suspension", "valve"], To = ["ops"] });
        Assert.Empty(To(s, Samples.Builder().Alert(Samples.Alert())));
        Assert.Equal(["ops"], To(s, Samples.Builder().Suspension(Samples.Suspension(), RuleIds.AdminQuery, "critical")));
        Assert.Equal(["ops"], To(s, Samples.Builder().Valve("SB0201", null)));
    }

    [Fact]
    public void A_branch_notice_goes_to_the_branchs_contact_or_its_nearest_parents_and_never_to_the_routes()
    {
        var s = Settings(new NotificationRoute { To = ["security"] });
        var own = NoticeRouter.Route(s, Samples.Builder().BranchNotice(Samples.Suspension("SB0101"))!, Samples.Line("SB0101"));
        Assert.Equal(["sb0101-robot", "contact SB0101 email"], own.Select(r => r.Name));
        Assert.Equal(["head@sb0101.bank.cn"], own[1].Channel.To);
        var parents = NoticeRouter.Route(s, Samples.Builder().BranchNotice(Samples.Suspension("SB0102"))!, Samples.Line("SB0102"));
        Assert.Equal(["security@br01.bank.cn"], Assert.Single(parents).Channel.To);
        Assert.Empty(NoticeRouter.Route(s, Samples.Builder().BranchNotice(Samples.Suspension("SB0201"))!, Samples.Line("SB0201")));
    }

    [Fact]
    public void Switched_off_nothing_goes_anywhere() =>
        Assert.Empty(To(Settings(new NotificationRoute { To = ["security"] }) with { Enabled = false }, Samples.Builder().Alert(Samples.Alert())));
}
