using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Ingest;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.Hosting.Tests;

public sealed class MonitorHostTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("host");
    private readonly List<string> _lines = [];

    public void Dispose() => _dir.Delete(recursive: true);

    private MonitorHostOptions Options(DetectionSettings? settings = null) => new(new SettingsInForce(settings ?? new DetectionSettings())) { Lines = l => { lock (_lines) _lines.Add(l); } };

    private bool Logged(string text)
    {
        lock (_lines) return _lines.Exists(l => l.Contains(text, StringComparison.Ordinal));
    }

    private static IReadOnlyList<IngestedEvent> Reads(string user, int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new IngestedEvent(Ev.Query(user: user, at: Ev.Monday10.AddMinutes(i), id: $"{user}-{i}"), 0))];

    [Fact]
    public async Task A_settings_file_edited_while_the_host_runs_reaches_the_detectors()
    {
        var file = Path.Combine(_dir.FullName, "settings.json");
        await File.WriteAllTextAsync(file, "{}");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
        await using var host = await MonitorHost.StartAsync(Options(SettingsLoader.Load(file)) with { SettingsFile = file });
        Assert.DoesNotContain((await host.Graph.ProcessAsync(Reads("Q0001", 0, 5))).Alerts, a => a.Rule == RuleIds.VolumeSpike);

        await File.WriteAllTextAsync(file, """{ "volume": { "userDaily": 3 } }""");
        for (var i = 0; i < 100 && !Logged("settings reloaded"); i++) await Task.Delay(100);
        Assert.True(Logged("settings reloaded"), string.Join("\n", _lines));

        var after = await host.Graph.ProcessAsync([.. Reads("Q0001", 5, 1), new IngestedEvent(Ev.Query(user: "Q0009", at: Ev.Monday10.AddDays(1)), 0)]);
        Assert.Contains(after.Alerts, a => a.Rule == RuleIds.VolumeSpike && a.UserId == "Q0001");
    }

    [Fact]
    public async Task The_state_kept_beside_the_store_is_restored_by_the_next_host()
    {
        var store = Path.Combine(_dir.FullName, "monitor.db");
        var events = Reads("Q0002", 0, 20);
        await using (var first = await MonitorHost.StartAsync(Options() with { StateStore = store }))
        {
            Assert.Equal(0, (await first.Graph.ProcessAsync(events)).Duplicates);
            await first.Graph.CheckpointAsync(new Dictionary<int, long> { [0] = 20 });
        }
        Assert.True(Logged("no saved detector state yet"), string.Join("\n", _lines));

        await using var second = await MonitorHost.StartAsync(Options() with { StateStore = store });
        Assert.Equal(1, second.Graph.Checkpoint);
        Assert.Equal(20, second.Graph.Positions[0]);
        Assert.True(Logged("detector state restored from checkpoint 1"), string.Join("\n", _lines));
        Assert.Equal(20, (await second.Graph.ProcessAsync(events)).Duplicates); // the redelivery horizon came back with the state
    }

    [Fact]
    public async Task A_state_store_that_cannot_be_reached_is_one_line_naming_the_store_without_its_password()
    {
        var unreachable = "Host=127.0.0.1;Port=1;Username=monitor;Password=s3cret;Database=monitor;Timeout=3";
        var e = await Assert.ThrowsAsync<HostStartException>(() => MonitorHost.StartAsync(Options() with { StateStore = unreachable }));
        Assert.StartsWith("--store: cannot open the detector state in ", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
