using Monitor.Contracts;
using Monitor.Testing;
using MimeKit;
using Xunit;

namespace Monitor.Notify.Tests;

/// <summary>The delivery queue with senders of the tests' own, and the SMTP sender against a mail server in the test.</summary>
public sealed class DeliveryTests
{
    private static readonly NotificationSettings Fast = new() { Queue = 3, Attempts = 3, BackoffSeconds = 0.05, MaxBackoffSeconds = 0.1, TimeoutSeconds = 5 };

    private static Recipient To(string name) => new(name, Samples.Hook());

    [Fact]
    public async Task A_full_queue_drops_and_counts_and_offering_never_waits_for_a_receiver()
    {
        var hanging = new Sender(_ => new TaskCompletionSource<DeliveryOutcome>().Task); // a receiver that never answers
        var ledger = new Ledger();
        await using var queue = new DeliveryQueue(() => Fast with { TimeoutSeconds = 600 }, _ => hanging, ledger, TimeProvider.System, _ => { });
        var taken = queue.Offer(Samples.Builder().Alert(Samples.Alert()), [.. Enumerable.Range(0, 10).Select(i => To($"hook-{i}"))]);
        Assert.Equal(3, taken);
        Assert.Equal(7, queue.Counters.Dropped);
        Assert.Equal(3, queue.Counters.Pending);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_after_its_backoff_and_every_attempt_is_in_the_audit_log()
    {
        var answers = new Queue<DeliveryOutcome>([DeliveryOutcome.Failed("HTTP 500 Internal Server Error"), DeliveryOutcome.Ok("HTTP 200")]);
        var sender = new Sender(_ => Task.FromResult(answers.Dequeue()));
        var ledger = new Ledger();
        await using var queue = new DeliveryQueue(() => Fast, _ => sender, ledger, TimeProvider.System, _ => { });
        queue.Offer(Samples.Builder().Alert(Samples.Alert()), [To("security")]);
        Assert.True(await queue.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, sender.Calls);
        Assert.Collection(ledger.Lines,
            l => Assert.Equal(("notification-failed", "security", "alert alert:al-1:critical via webhook https://robot.example/send?***; attempt 1 of 3: HTTP 500 Internal Server Error; retry in 0.1 s"),
                (l.Action, l.Target, l.Detail.Replace("retry in 0.05 s", "retry in 0.1 s", StringComparison.Ordinal))),
            l => Assert.Equal(("notification-sent", "alert alert:al-1:critical via webhook https://robot.example/send?***; attempt 2 of 3: HTTP 200"), (l.Action, l.Detail)));
        Assert.All(ledger.Lines, l => Assert.StartsWith("【严重告警】", l.Reason));
        Assert.Equal((1, 1, 0), (queue.Counters.Delivered, queue.Counters.FailedAttempts, queue.Counters.Abandoned));
    }

    [Fact]
    public async Task A_delivery_is_given_up_after_its_last_attempt_or_at_once_when_retrying_cannot_help()
    {
        var sender = new Sender(n => Task.FromResult(n.To.Name == "gone" ? DeliveryOutcome.Refused("HTTP 404 Not Found") : DeliveryOutcome.Failed("connection refused")));
        var ledger = new Ledger();
        var log = new List<string>();
        await using var queue = new DeliveryQueue(() => Fast, _ => sender, ledger, TimeProvider.System, l => { lock (log) log.Add(l); });
        queue.Offer(Samples.Builder().Alert(Samples.Alert()), [To("down"), To("gone")]);
        Assert.True(await queue.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, ledger.Lines.Count(l => l.Target == "down"));
        Assert.EndsWith("attempt 3 of 3: connection refused; given up", ledger.Lines.Last(l => l.Target == "down").Detail);
        Assert.EndsWith("attempt 1 of 3: HTTP 404 Not Found; given up (retrying cannot help)", Assert.Single(ledger.Lines, l => l.Target == "gone").Detail);
        Assert.Equal(2, queue.Counters.Abandoned);
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public async Task A_delivery_made_before_a_restart_is_not_made_again()
    {
        var sender = new Sender(_ => Task.FromResult(DeliveryOutcome.Ok("HTTP 200")));
        var ledger = new Ledger();
        var notice = Samples.Builder().Alert(Samples.Alert());
        await using (var before = new DeliveryQueue(() => Fast, _ => sender, ledger, TimeProvider.System, _ => { }))
        {
            before.Offer(notice, [To("security")]);
            Assert.True(await before.DrainAsync(TimeSpan.FromSeconds(30)));
        }
        await using var after = new DeliveryQueue(() => Fast, _ => sender, ledger, TimeProvider.System, _ => { });
        after.Offer(notice, [To("security"), To("ops")]);
        Assert.True(await after.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["security", "ops"], sender.Targets);
        Assert.Equal(1, after.Counters.Duplicates);
    }

    [Fact]
    public async Task An_email_reaches_the_mail_server_in_chinese_with_the_branch_notice()
    {
        await using var server = new SmtpTestServer();
        var smtp = new SmtpSettings { Host = "127.0.0.1", Port = server.Port, From = "monitor@bank.cn", Security = "none" };
        var sender = new SmtpSender(() => smtp);
        var notice = Samples.Builder().BranchNotice(Samples.Suspension())!;
        var outcome = await sender.SendAsync(notice, new Recipient("contact SB0101 email", new NotificationChannel { Type = NotificationChannel.Email, To = ["head@sb0101.bank.cn"] }),
            TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(outcome.Delivered, outcome.Detail);
        var received = Assert.Single(server.Messages);
        Assert.Equal("monitor@bank.cn", received.From);
        Assert.Equal(["head@sb0101.bank.cn"], received.To);
        var mail = await MimeMessage.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(received.Data)));
        Assert.Equal("用户 UA0101 的征信查询权限已暂停（管理员用户查询信用信息）：请核实", mail.Subject);
        Assert.Contains("1. 谁使用了该用户", mail.TextBody);
    }

    [Theory]
    [InlineData("550 5.1.1 no such user", false)]
    [InlineData("451 4.3.0 try again later", true)]
    public async Task A_mail_server_that_refuses_is_retried_only_when_it_says_later(string reply, bool retried)
    {
        await using var server = new SmtpTestServer { RefuseRecipients = reply };
        var sender = new SmtpSender(() => new SmtpSettings { Host = "127.0.0.1", Port = server.Port, From = "monitor@bank.cn", Security = "none" });
        var outcome = await sender.SendAsync(Samples.Builder().Alert(Samples.Alert()), new Recipient("mail", new NotificationChannel { Type = NotificationChannel.Email, To = ["x@bank.cn"] }),
            TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(outcome.Delivered);
        Assert.Equal(retried, Backoff.Retries(outcome, 1, Fast));
        Assert.Contains(reply[..3], outcome.Detail);
    }

    private sealed class Sender(Func<(Notice Notice, Recipient To), Task<DeliveryOutcome>> answer) : ISender
    {
        private readonly List<string> _targets = [];

        public int Calls
        {
            get { lock (_targets) return _targets.Count; }
        }

        public List<string> Targets
        {
            get { lock (_targets) return [.. _targets]; }
        }

        public async Task<DeliveryOutcome> SendAsync(Notice notice, Recipient to, TimeSpan timeout, CancellationToken ct)
        {
            lock (_targets) _targets.Add(to.Name);
            return await answer((notice, to)).WaitAsync(ct);
        }
    }

    private sealed class Ledger : INoticeLedger
    {
        private readonly HashSet<string> _claimed = [];
        private readonly List<(string Action, string Target, string? Reason, string Detail)> _lines = [];

        public IReadOnlyList<(string Action, string Target, string? Reason, string Detail)> Lines
        {
            get { lock (_lines) return [.. _lines]; }
        }

        public Task<bool> ClaimAsync(string key)
        {
            lock (_claimed) return Task.FromResult(_claimed.Add(key));
        }

        public Task RecordAsync(string action, string target, string? reason, string detail)
        {
            lock (_lines) _lines.Add((action, target, reason, detail));
            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<string, string?>> BranchTreeAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());
    }
}
