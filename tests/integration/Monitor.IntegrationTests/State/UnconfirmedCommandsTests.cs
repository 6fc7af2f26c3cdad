using Monitor.Contracts;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// Issue 14's "every command exactly once", at the moment the crash test hit by chance: the monitor was killed after
/// the brokers acknowledged a suspension and before the store marked it sent. The restarted <c>monitor run</c> must
/// not send it a second time, and must still send one that never reached the brokers.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class UnconfirmedCommandsTests(MockKafkaFixture kafka) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("unconfirmed");

    public void Dispose() => _dir.Delete(recursive: true);

    private static PermissionCommand Suspend(string user) => new()
    {
        CommandId = "cmd-" + user, Action = "suspend", UserId = user, BranchId = "B01", Reason = "disabled account queried",
        AlertIds = ["alert-" + user], IssuedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
    };

    [Fact]
    public async Task A_restarted_monitor_sends_an_unconfirmed_command_the_brokers_already_have_no_second_time_and_sends_the_one_they_never_got()
    {
        var options = kafka.Options("unconfirmed");
        var storePath = Path.Combine(_dir.FullName, "monitor.db");
        var store = await AlertStore.OpenAsync(storePath, TimeProvider.System);
        var (delivered, lost) = (Suspend("U-DELIVERED"), Suspend("U-LOST"));
        Assert.Equal(2, (await store.RecordAsync([], [delivered, lost], [])).ToSend.Count);
        // The killed run: the brokers acknowledged one of the two, the store never heard of it.
        kafka.Produce(options.CommandsTopic, [(delivered.UserId, OutputJson.SerializeToUtf8(delivered))]);

        await using (var monitor = LiveMonitor.Start(kafka.BootstrapServers, _dir, "--store", storePath, "--group", options.GroupId,
            "--input-topic", options.InputTopic, "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic,
            "--dead-letter-topic", options.DeadLetterTopic))
        {
            Assert.True(await monitor.WaitStderrAsync("had no confirmation", TimeSpan.FromSeconds(60)), monitor.Transcript);
            Assert.Contains(monitor.Stderr, l => l.Contains("1 were already on", StringComparison.Ordinal) && l.Contains("1 sent now", StringComparison.Ordinal));
        }

        var published = TopicReader.ReadAll(kafka.BootstrapServers, options.CommandsTopic, TimeSpan.FromSeconds(30)).Select(OutputJson.ParseCommand).ToList();
        Assert.Equal(["cmd-U-DELIVERED", "cmd-U-LOST"], published.Select(c => c.CommandId).Order(StringComparer.Ordinal));
        Assert.Empty(await (await AlertStore.OpenAsync(storePath, TimeProvider.System)).UnsentAsync());
    }
}
