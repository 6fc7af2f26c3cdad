using System.Net;
using System.Text;
using System.Text.Json;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// An analyst suppresses a rule on a user through the API of a running <c>./monitor run</c> (a separate process,
/// on the mock cluster, over a SQLite store), as issue 19 asks: the user's findings of that rule then raise no alert
/// while another user's do, the reminder metric counts it, and once it is ended early the user's alerts come again;
/// both steps are in the audit log. The events carry the wall clock's time, as a live feed's do.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class SuppressionRunTests(MockKafkaFixture kafka, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Analyst = "mk_suppression-run-analyst";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_suppression_made_over_http_while_running_silences_its_rule_and_user_until_it_is_ended_early()
    {
        var options = kafka.Options("suppression-run");
        var dir = Directory.CreateTempSubdirectory("monitor-suppression-run-");
        var settings = Path.Combine(dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$$"""{"api": {"keys": [{"name": "analyst-li", "role": "analyst", "sha256": "{{{ApiKeys.Hash(Analyst)}}}"}]}}""");
        var storeFile = Path.Combine(dir.FullName, "monitor.db");
        long id;
        await using (var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
                         "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
                         "--store", storeFile, "--settings", settings))
        {
            var (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.OK, Patience);
            Assert.True(status == HttpStatusCode.OK, $"{status} {body}\n{monitor.Transcript}");

            var until = DateTimeOffset.UtcNow.AddDays(1).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
            (status, body) = await monitor.PostAsync("api/suppressions", Analyst, JsonSerializer.Serialize(new
            {
                rule = RuleIds.NoAuthorization, entityType = "user", entityId = "Q7001", until,
                reason = "pilot of the paperless authorization flow in SB0101, approved by compliance",
            }));
            Assert.True(status == HttpStatusCode.Created, $"{status} {body}\n{monitor.Transcript}");
            id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();

            // While it is in force: the suppressed user's unauthorised query raises nothing, another user's does.
            kafka.Produce(options.InputTopic, [MockKafkaFixture.Message(Unauthorised("Q7001")), MockKafkaFixture.Message(Unauthorised("Q7002"))]);
            var first = await NoAuthorization(options.AlertsTopic, expected: 1);
            Assert.True(first.Select(a => a.UserId).SequenceEqual(["Q7002"]), $"{string.Join(", ", first.Select(a => a.UserId))}\n{monitor.Transcript}");
            await Task.Delay(TimeSpan.FromSeconds(3)); // time for anything else of that batch to come out
            Assert.Equal(["Q7002"], (await NoAuthorization(options.AlertsTopic, expected: 2, TimeSpan.FromSeconds(1))).Select(a => a.UserId));

            // The reminder metric counts it, within a reporting interval (10 s).
            var metrics = Path.Combine(dir.FullName, "metrics.lp");
            Assert.True(await Eventually(() => File.Exists(metrics) && File.ReadLines(metrics).Any(l => l.StartsWith("suppressions,source=api ", StringComparison.Ordinal)
                && l.Contains("active=1i", StringComparison.Ordinal) && l.Contains("expiring_within_24h=1i", StringComparison.Ordinal)), TimeSpan.FromSeconds(40)),
                "no suppressions point with active=1i in " + metrics + "\n" + monitor.Transcript);

            // Ended early: the user's next unauthorised query is an alert again.
            (status, body) = await monitor.PostAsync($"api/suppressions/{id}/end", Analyst, """{"reason": "the pilot was stopped by compliance"}""");
            Assert.True(status == HttpStatusCode.OK, $"{status} {body}");
            Assert.Equal("ended", JsonDocument.Parse(body).RootElement.GetProperty("state").GetString());
            kafka.Produce(options.InputTopic, [MockKafkaFixture.Message(Unauthorised("Q7001"))]);
            var after = await NoAuthorization(options.AlertsTopic, expected: 2);
            Assert.Equal(["Q7001", "Q7002"], after.Select(a => a.UserId!).Order(StringComparer.Ordinal));
            Assert.False(monitor.Exited, monitor.Transcript);
            output.WriteLine(monitor.Transcript);
        }

        var store = await AlertStore.OpenAsync(storeFile, TimeProvider.System);
        var audit = (await store.AuditAsync()).Where(a => a.Action.StartsWith("suppression-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["suppression-create", "suppression-end"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("analyst-li", "NO_AUTHORIZATION/user/Q7001"), (a.Actor, a.Target)));
        Assert.Equal(StoredSuppression.Ended, (await store.SuppressionAsync(id))!.State);
    }

    /// <summary>An unauthorised loan-approval query by <paramref name="user"/> now (the wall clock), as the feed sends it.</summary>
    private static QueryLogEvent Unauthorised(string user) =>
        Ev.Query(user: user, at: DateTimeOffset.UtcNow.ToOffset(Ev.China)) with { AuthorizationId = null, AuthorizedAt = null };

    /// <summary>
    /// The NO_AUTHORIZATION alerts on the topic, read from its start until there are <paramref name="expected"/> or the
    /// wait is over (each read is a new consumer, whose joining takes seconds on the mock cluster; other rules' alerts,
    /// e.g. OFF_HOURS at night, are left out).
    /// </summary>
    private async Task<List<Alert>> NoAuthorization(string topic, int expected, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? Patience);
        List<Alert> found;
        do
        {
            found = [.. kafka.ReadAll(topic, 100, TimeSpan.FromSeconds(10)).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value)))
                .Where(a => a.Rule == RuleIds.NoAuthorization)];
            if (found.Count >= expected) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        return found;
    }

    private static async Task<bool> Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(500);
        }
        return condition();
    }
}
