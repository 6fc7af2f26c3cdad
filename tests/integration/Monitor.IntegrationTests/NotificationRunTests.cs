using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>monitor run</c> pushing what officers must know (docs/notifications.md): an administrator's query on the mock
/// cluster becomes a critical alert and a suspension; the alert reaches a plain-JSON webhook (which fails once with
/// a 500 and gets it again) and a WeCom robot, the suspension the webhook, and its branch notice the branch's contact
/// by email; every delivery and the failure are in the audit log.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class NotificationRunTests(MockKafkaFixture kafka)
{
    private const string Auditor = "mk_notify-run-auditor";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Critical_alert_and_suspension_reach_the_webhook_after_a_500_the_wecom_robot_and_the_branch_contact_and_each_delivery_is_audited()
    {
        var received = new ConcurrentQueue<(string Path, string Body)>();
        var hookCalls = 0;
        using var receiver = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{Ports.Free()}"] });
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(r =>
        {
            received.Enqueue((r.Path, r.Body ?? ""));
            if (r.Path == "/hook") return new WireMock.ResponseMessage { StatusCode = Interlocked.Increment(ref hookCalls) == 1 ? 500 : 200 };
            return new WireMock.ResponseMessage { StatusCode = 200, BodyData = new WireMock.Util.BodyData { BodyAsString = """{"errcode":0,"errmsg":"ok"}""", DetectedBodyType = WireMock.Types.BodyType.String } };
        }));
        await using var mail = new SmtpTestServer();

        var options = kafka.Options("notify-run");
        var dir = Directory.CreateTempSubdirectory("monitor-notify-run-");
        var settings = Path.Combine(dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$"""
            {
              "api": { "keys": [ { "name": "auditor-zhao", "role": "auditor", "sha256": "{{ApiKeys.Hash(Auditor)}}" } ] },
              "notifications": {
                "channels": {
                  "security-json": { "type": "webhook", "url": "{{receiver.Urls[0]}}/hook" },
                  "security-wecom": { "type": "wecom", "url": "{{receiver.Urls[0]}}/cgi-bin/webhook/send?key=robot-key" }
                },
                "routes": [
                  { "events": ["alert"], "to": ["security-json", "security-wecom"] },
                  { "events": ["suspension"], "to": ["security-json"] }
                ],
                "contacts": { "SB0101": { "email": ["head@sb0101.bank.cn"] } },
                "smtp": { "host": "127.0.0.1", "port": {{mail.Port}}, "from": "monitor@bank.cn", "security": "none" },
                "backoffSeconds": 0.5
              }
            }
            """);
        kafka.Produce(options.InputTopic, [MockKafkaFixture.Message(Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10)))]);

        await using var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
            "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
            "--store", Path.Combine(dir.FullName, "monitor.db"), "--settings", settings);

        // The alert and the suspension to the webhook (one of them twice: the first answer is a 500), the alert to WeCom, the notice by mail.
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && (received.Count(r => r.Path == "/hook") < 3 || received.All(r => r.Path == "/hook") || mail.Messages.Count == 0) && !monitor.Exited)
            await Task.Delay(250);
        Assert.False(monitor.Exited, monitor.Transcript);
        var hook = received.Where(r => r.Path == "/hook").Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();
        Assert.Equal(3, hook.Count);
        Assert.Equal(["alert", "suspension"], hook.Select(h => h.GetProperty("kind").GetString()).Distinct().Order());
        var alert = hook.First(h => h.GetProperty("kind").GetString() == "alert");
        Assert.Equal("[Critical alert] ADMIN_QUERY on user UA0101", alert.GetProperty("title").GetProperty("en").GetString());
        Assert.Equal("UA0101", alert.GetProperty("subject").GetProperty("userId").GetString());
        Assert.StartsWith("管理员用户 UA0101（用户管理员）", alert.GetProperty("text").GetProperty("zh-CN").GetString());

        var wecom = JsonDocument.Parse(Assert.Single(received, r => r.Path == "/cgi-bin/webhook/send").Body).RootElement;
        Assert.Equal("markdown", wecom.GetProperty("msgtype").GetString());
        Assert.StartsWith("### 【严重告警】管理员用户查询信用信息：用户 UA0101", wecom.GetProperty("markdown").GetProperty("content").GetString());

        var letter = Assert.Single(mail.Messages);
        Assert.Equal(["head@sb0101.bank.cn"], letter.To);
        var message = await MimeKit.MimeMessage.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(letter.Data)));
        Assert.Equal("用户 UA0101 的征信查询权限已暂停（管理员用户查询信用信息）：请核实", message.Subject);

        // Every delivery and the failure, in the audit log (the last line may follow the last request by a moment).
        List<JsonElement> notices = [];
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await monitor.GetAsync("api/audit", Auditor);
            Assert.True(status == HttpStatusCode.OK, body);
            notices = [.. JsonDocument.Parse(body).RootElement.EnumerateArray().Where(a => a.GetProperty("action").GetString()!.StartsWith("notification-", StringComparison.Ordinal)).Select(a => a.Clone())];
            if (notices.Count >= 5) break;
            await Task.Delay(250);
        }
        string Line(JsonElement a) => $"{a.GetProperty("action").GetString()} {a.GetProperty("target").GetString()}";
        Assert.Equal(["notification-failed security-json", "notification-sent contact SB0101 email", "notification-sent security-json", "notification-sent security-json", "notification-sent security-wecom"],
            notices.Select(Line).Order(StringComparer.Ordinal));
        var failed = notices.Single(a => a.GetProperty("action").GetString() == "notification-failed");
        Assert.Contains("attempt 1 of 6: HTTP 500", failed.GetProperty("detail").GetString());
        Assert.Contains("retry in 0.5 s", failed.GetProperty("detail").GetString());
        Assert.All(notices, a => Assert.Equal("monitor", a.GetProperty("actor").GetString()));
        Assert.DoesNotContain(notices, a => a.GetProperty("detail").GetString()!.Contains("robot-key", StringComparison.Ordinal)); // the robot's key stays out of the log
    }

    [Fact]
    public async Task A_replay_tells_no_one_unless_asked_and_with_notify_delivers_and_audits_once_however_often_it_is_run()
    {
        var received = new ConcurrentQueue<string>();
        using var receiver = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{Ports.Free()}"] });
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(r =>
        {
            received.Enqueue(r.Body ?? "");
            return new WireMock.ResponseMessage { StatusCode = 204 };
        }));
        var dir = Directory.CreateTempSubdirectory("monitor-notify-replay-").FullName;
        var settings = Path.Combine(dir, "settings.json");
        await File.WriteAllTextAsync(settings, $$"""
            { "notifications": { "channels": { "ops": { "type": "webhook", "url": "{{receiver.Urls[0]}}/hook" } },
                                 "routes": [ { "events": ["alert", "suspension"], "to": ["ops"] } ] } }
            """);
        var events = Path.Combine(dir, "events.jsonl");
        await File.WriteAllLinesAsync(events, [EventJson.Serialize(Ev.Query(user: "UA0101", role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10), id: "admin-1"))]);
        string[] Replay(params string[] more) => ["replay", "--input", events, "--output", Path.Combine(dir, "alerts.jsonl"), "--settings", settings, .. more];

        var (code, stderr) = await Cli.Run(Replay("--store", Path.Combine(dir, "quiet.db")));
        Assert.True(code == 0, stderr);
        Assert.Empty(received);

        (code, stderr) = await Cli.Run(Replay("--notify"));
        Assert.Equal(2, code);
        Assert.Equal("monitor: --notify needs --store: each delivery is recorded in its audit log, and a notice is not sent twice from it", stderr.Trim());

        var store = Path.Combine(dir, "monitor.db");
        (code, stderr) = await Cli.Run(Replay("--notify", "--store", store));
        Assert.True(code == 0, stderr);
        Assert.Contains("notifications: 2 delivered, 0 given up, 0 dropped (queue full), 0 sent before", stderr);
        Assert.Equal(["alert", "suspension"], received.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("kind").GetString()).Order());

        // The same history again into the same store (with its state reset): nothing is told twice.
        (code, stderr) = await Cli.Run(Replay("--notify", "--store", store, "--fresh"));
        Assert.True(code == 0, stderr);
        Assert.Equal(2, received.Count);
        Assert.Contains("notifications: 0 delivered, 0 given up, 0 dropped (queue full), 2 sent before", stderr);
    }
}
