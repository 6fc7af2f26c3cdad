using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Xunit;

namespace Monitor.Notify.Tests;

/// <summary>The <c>notifications</c> section as the settings file gives it: mistakes refused at load with the key, secrets never shown.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("""{"notifications": {"routes": [{"to": ["ops"]}]}}""", "settings: notifications.routes[0].to: 'ops' is not a channel of notifications.channels")]
    [InlineData("""{"notifications": {"channels": {"ops": {"type": "slack", "url": "https://x.cn/h"}}}}""", "settings: notifications.channels.ops.type: 'slack' is not webhook|wecom|dingtalk|email")]
    [InlineData("""{"notifications": {"channels": {"ops": {"type": "wecom"}}}}""", "settings: notifications.channels.ops.url: missing, or not an http(s) address")]
    [InlineData("""{"notifications": {"channels": {"m": {"type": "email", "to": ["a@b.cn"]}}}}""", "settings: notifications.channels.m: an email channel needs notifications.smtp")]
    [InlineData("""{"notifications": {"channels": {"ops": {"url": "https://x.cn/h"}}, "routes": [{"events": ["alerts"], "to": ["ops"]}]}}""", "settings: notifications.routes[0].events: 'alerts' is not alert|suspension|escalation|valve")]
    [InlineData("""{"notifications": {"channels": {"ops": {"url": "https://x.cn/h"}}, "routes": [{"minSeverity": "severe", "to": ["ops"]}]}}""", "settings: notifications.routes[0].minSeverity: 'severe' is not low|medium|high|critical")]
    [InlineData("""{"notifications": {"contacts": {"SB0101": {"email": ["not-an-address"]}}}}""", "settings: notifications.contacts.SB0101.email: 'not-an-address' is not an email address")]
    [InlineData("""{"notifications": {"queue": 0}}""", "settings: notifications.queue: 0 must be from 1 to 1000000")]
    public void A_mistake_in_the_notifications_is_refused_at_load_naming_the_key(string json, string message) =>
        Assert.Equal(message, Assert.Throws<SettingsException>(() => SettingsLoader.Parse(json)).Message);

    [Fact]
    public void A_good_section_loads_and_is_shown_without_its_secrets()
    {
        var s = SettingsLoader.Parse("""
            {"notifications": {
              "channels": { "ding": { "type": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=tok", "secret": "SECabc" },
                            "mail": { "type": "email", "to": ["sec@bank.cn"] } },
              "routes": [ { "to": ["ding", "mail"] } ],
              "smtp": { "host": "smtp.bank.cn", "from": "m@bank.cn", "user": "m", "password": "pw" } }}
            """).Notifications;
        var shown = System.Text.Json.JsonSerializer.Serialize(s.Redacted());
        Assert.DoesNotContain("tok", shown);
        Assert.DoesNotContain("SECabc", shown);
        Assert.DoesNotContain("\"pw\"", shown);
        Assert.Contains("https://oapi.dingtalk.com/robot/send?***", shown);
        Assert.Equal("SECabc", s.Channels["ding"].Secret); // the settings in force keep them
    }
}
