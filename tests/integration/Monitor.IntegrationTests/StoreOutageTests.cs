using System.Diagnostics;
using System.Net;
using System.Text;
using Monitor.Contracts;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The alert store's disk fills up under <c>./monitor run</c>, as found: the process died with
/// <c>SqliteException</c> while <c>/ready</c> said 200 until then. Here the store lives on a small tmpfs of the
/// test's own (the tests run as root), which is filled while events arrive and freed again: the monitor must
/// hold the batch, answer 503 with the store's error, log a few lines rather than a flood, and resume by itself
/// once there is room, publishing the held batch's alerts and commands exactly once.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class StoreOutageTests(MockKafkaFixture kafka, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_full_disk_under_the_store_holds_the_batch_answers_503_and_the_run_resumes_once_there_is_room_with_each_alert_and_command_once()
    {
        var options = kafka.Options("store-full");
        var dir = Directory.CreateTempSubdirectory("monitor-storefull-");
        var disk = Directory.CreateDirectory(Path.Combine(dir.FullName, "disk"));
        Sh($"mount -t tmpfs -o size=2m monitor-test {disk.FullName}");
        try
        {
            var storeFile = Path.Combine(disk.FullName, "monitor.db");
            await using (var monitor = LiveMonitor.Start(kafka.BootstrapServers, dir, "--group", options.GroupId, "--input-topic", options.InputTopic,
                             "--alerts-topic", options.AlertsTopic, "--commands-topic", options.CommandsTopic, "--dead-letter-topic", options.DeadLetterTopic,
                             "--store", storeFile))
            {
                var (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.OK, Patience);
                Assert.True(status == HttpStatusCode.OK, $"{status} {body}\n{monitor.Transcript}");

                // A first batch goes through while there is room.
                kafka.Produce(options.InputTopic, [MockKafkaFixture.Message(Admin("UA0100", 0))]);
                Assert.Single(kafka.ReadAll(options.AlertsTopic, 1, Patience));

                // The disk fills; a batch of 30 administrators' queries arrives.
                var filler = Path.Combine(disk.FullName, "filler");
                Fill(filler);
                var held = Enumerable.Range(1, 30).Select(i => Admin($"UA{200 + i:D4}", i)).ToList();
                kafka.Produce(options.InputTopic, held.Select(MockKafkaFixture.Message));
                (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.ServiceUnavailable, Patience, "store:");
                Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{status} {body}\n{monitor.Transcript}");
                Assert.Contains("full", body);
                await Task.Delay(TimeSpan.FromSeconds(5));
                Assert.False(monitor.Exited, monitor.Transcript);
                Assert.Single(kafka.ReadAll(options.AlertsTopic, 2, TimeSpan.FromSeconds(10))); // nothing of the held batch went out
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await monitor.ReadyAsync()).Status);

                // Room again: the run resumes by itself.
                File.Delete(filler);
                (status, body) = await monitor.WaitReadyAsync(HttpStatusCode.OK, Patience);
                Assert.True(status == HttpStatusCode.OK, $"{status} {body}\n{monitor.Transcript}");
                var alerts = kafka.ReadAll(options.AlertsTopic, 1 + held.Count, Patience).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value))).ToList();
                var commands = kafka.ReadAll(options.CommandsTopic, 1 + held.Count, Patience).Select(r => OutputJson.ParseCommand(Encoding.UTF8.GetString(r.Message.Value))).ToList();
                await Task.Delay(TimeSpan.FromSeconds(2));
                alerts = [.. kafka.ReadAll(options.AlertsTopic, 1000, TimeSpan.FromSeconds(5)).Select(r => OutputJson.ParseAlert(Encoding.UTF8.GetString(r.Message.Value)))];
                commands = [.. kafka.ReadAll(options.CommandsTopic, 1000, TimeSpan.FromSeconds(5)).Select(r => OutputJson.ParseCommand(Encoding.UTF8.GetString(r.Message.Value)))];
                Assert.Equal(held.Select(e => e.UserId).Prepend("UA0100").Order(StringComparer.Ordinal), alerts.Select(a => a.UserId!).Order(StringComparer.Ordinal));
                Assert.Equal(held.Select(e => e.UserId).Prepend("UA0100").Order(StringComparer.Ordinal), commands.Select(c => c.UserId).Order(StringComparer.Ordinal));
                Assert.All(commands, c => Assert.Equal("suspend", c.Action));

                // The outage cost a few log lines, not one per attempt.
                var storeLines = monitor.Stderr.Where(l => l.StartsWith("store:", StringComparison.Ordinal)).ToList();
                Assert.InRange(storeLines.Count, 2, 6);
                Assert.Contains(storeLines, l => l.Contains("consumption resumes", StringComparison.Ordinal));
                Assert.DoesNotContain(monitor.Stderr, l => l.Contains("Exception", StringComparison.Ordinal));
                output.WriteLine(monitor.Transcript);
            }

            var store = await AlertStore.OpenAsync(storeFile, TimeProvider.System);
            Assert.Equal(31, (await store.SuspensionsAsync(active: true)).Count);
            Assert.Empty(await store.UnsentAsync());
        }
        finally
        {
            Sh($"umount -l {disk.FullName}");
        }
    }

    private static QueryLogEvent Admin(string user, int minute) =>
        Ev.Query(user: user, role: UserRole.UserAdmin, at: Ev.At(2026, 3, 3, 10, minute), branch: $"SB{1000 + minute}"); // one per branch: the safety valve stays shut

    /// <summary>Writes <paramref name="path"/> until the file system has no byte left.</summary>
    private static void Fill(string path)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1);
        foreach (var size in new[] { 64 * 1024, 4096, 512, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true) f.Write(chunk);
            }
            catch (IOException)
            {
                // No room for this size; try smaller.
            }
        }
    }

    private static void Sh(string command)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"`{command}` failed ({err.Trim()}); this test mounts a small tmpfs and needs root");
    }
}
