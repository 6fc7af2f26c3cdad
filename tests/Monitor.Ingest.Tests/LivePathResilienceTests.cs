using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Monitor.Contracts;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.Ingest.Tests;

/// <summary>The pure decisions behind a live run that must not stop: dead letters' size, log digests, store retries, readiness.</summary>
public sealed class LivePathResilienceTests
{
    [Fact]
    public void A_dead_letter_over_the_limit_keeps_its_first_bytes_and_carries_the_original_size_and_sha256()
    {
        var value = Encoding.UTF8.GetBytes(new string('a', 100_000));
        var m = DeadLetterMessage.Build("credit.query-log", 2, 41, "Q1", value, "oversized: 100000 bytes", valueLimit: 1000);
        Assert.Equal(value[..1000], m.Value);
        Assert.Equal("100000", Encoding.UTF8.GetString(m.Headers.GetLastBytes(DeadLetterMessage.OriginalSize)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(value)), Encoding.UTF8.GetString(m.Headers.GetLastBytes(DeadLetterMessage.OriginalSha256)));
        Assert.Equal("41", Encoding.UTF8.GetString(m.Headers.GetLastBytes(DeadLetterMessage.SourceOffset)));
        Assert.Equal("Q1", m.Key);
    }

    [Fact]
    public void A_dead_letter_within_the_limit_goes_whole_without_size_headers()
    {
        var m = DeadLetterMessage.Build("t", 0, 1, null, Encoding.UTF8.GetBytes("{ not json"), "malformed JSON");
        Assert.Equal("{ not json", Encoding.UTF8.GetString(m.Value));
        Assert.DoesNotContain(m.Headers, h => h.Key is DeadLetterMessage.OriginalSize or DeadLetterMessage.OriginalSha256);
        Assert.Equal("", m.Key);
    }

    [Fact]
    public void A_repeating_error_is_logged_once_then_once_per_period_with_its_count_and_once_at_recovery()
    {
        var clock = new FixedClock(Ev.Monday10);
        var lines = new List<string>();
        var digest = new ErrorDigest("kafka", TimeSpan.FromSeconds(30), clock, lines.Add);
        for (var i = 0; i < 600; i++)
        {
            digest.Report("127.0.0.1:1 unreachable (Connection refused), retrying");
            clock.Now += TimeSpan.FromMilliseconds(100);
            digest.Tick();
        }
        digest.Recovered("connected to 127.0.0.1:1");
        Assert.Equal(
        [
            "kafka: 127.0.0.1:1 unreachable (Connection refused), retrying",
            "kafka: 127.0.0.1:1 unreachable (Connection refused), retrying; 299 errors in the last 30 s",
            "kafka: 127.0.0.1:1 unreachable (Connection refused), retrying; 300 errors in the last 30 s",
            "kafka: connected to 127.0.0.1:1 after 600 errors over 60 s",
        ], lines);
    }

    [Fact]
    public void Librdkafka_connection_failures_read_as_one_line_naming_the_broker()
    {
        Assert.Equal("127.0.0.1:1 unreachable (Connection refused), retrying",
            KafkaErrorText.Short("127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)"));
        Assert.Equal("127.0.0.1:1 unreachable (Connection refused), retrying",
            KafkaErrorText.Short("[thrd:app]: rdkafka#producer-2: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)"));
        Assert.Equal("all brokers down (1/1 brokers are down), retrying", KafkaErrorText.Short("[thrd:127.0.0.1:1/bootstrap]: 1/1 brokers are down"));
    }

    [Fact]
    public void Store_retries_wait_one_second_doubling_to_thirty()
    {
        var waits = Enumerable.Range(1, 8).Select(a => StoreRetry.Delay(a, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).TotalSeconds);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], waits);
    }

    [Fact]
    public async Task A_failing_store_sets_not_ready_with_its_error_until_the_step_succeeds_and_a_bug_is_not_retried()
    {
        var readiness = new ReadinessState();
        var lines = new List<string>();
        var stats = new PipelineStats();
        var retry = new StoreRetry(readiness, stats, lines.Add, TimeProvider.System);
        var attempts = 0;
        var seen = new List<string>();
        var result = await retry.RunAsync("recording the batch's outputs", () =>
        {
            if (++attempts < 4) throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
            return Task.FromResult(42);
        }, _ =>
        {
            seen.Add(string.Join("|", readiness.Reasons));
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, stats.StoreFailures);
        Assert.All(seen, r => Assert.StartsWith("store: recording the batch's outputs failed (SQLite Error 13: 'database or disk is full'.)", r));
        Assert.True(readiness.IsReady);
        Assert.Equal(2, lines.Count); // the first failure, and the recovery
        Assert.Contains("consumption resumes", lines[1]);
        await Assert.ThrowsAsync<NullReferenceException>(() => retry.RunAsync<int>("x", () => throw new NullReferenceException(), _ => Task.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public void Readiness_lists_every_condition_until_each_is_cleared()
    {
        var r = new ReadinessState();
        Assert.True(r.IsReady);
        r.Set("store", "disk full");
        r.Set("kafka", "unreachable");
        Assert.Equal(["kafka: unreachable", "store: disk full"], r.Reasons);
        Assert.True(r.Clear("kafka"));
        Assert.False(r.Clear("kafka"));
        Assert.False(r.IsReady);
        r.Clear("store");
        Assert.True(r.IsReady);
    }

    [Fact]
    public void An_ingest_wired_to_a_readiness_is_not_ready_before_it_runs()
    {
        // The service clears "pipeline" just before it starts the ingest: /ready must still say 503 in between.
        var readiness = new ReadinessState();
        _ = new KafkaIngest(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }, graph: null!) { Readiness = readiness };
        Assert.Equal(["kafka: connecting to 127.0.0.1:1"], readiness.Reasons);
    }
}
