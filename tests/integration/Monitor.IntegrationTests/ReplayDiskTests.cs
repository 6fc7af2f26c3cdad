using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor replay</c> when the machine will not take its outputs (issue 13, item 13): a full disk, a store
/// on a read-only file system, a metrics file that cannot be written. The replay says so in one line (exit 2)
/// instead of leaving a truncated file behind a stack trace; lost metrics are reported and counted.
/// </summary>
public sealed class ReplayDiskTests : IDisposable
{
    private static readonly string Events = Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten", "events.jsonl");
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-disk-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Replay_onto_a_full_disk_exits_2_with_one_line_saying_the_outputs_are_incomplete()
    {
        using var disk = Tmpfs.TryMount("64k");
        string output;
        if (disk is null)
        {
            output = "/dev/full"; // the kernel's always-full device, where mounting is not allowed
        }
        else
        {
            disk.Fill();
            output = Path.Combine(disk.Path, "alerts.jsonl");
        }

        var answer = await Cli.Run("replay", "--input", Events, "--output", output);

        CliMistakeTests.AssertOneLine(answer, "outputs are incomplete", "No space left on device");
    }

    [Fact]
    public async Task Replay_into_a_store_on_a_read_only_file_system_exits_2_with_one_line_naming_the_store()
    {
        using var disk = Tmpfs.TryMount("8m");
        Assert.True(disk is not null, "this test mounts a tmpfs: it needs root (./test.sh runs as root on the build machine)");
        var store = Path.Combine(disk!.Path, "monitor.db");
        var first = await Cli.Run("replay", "--input", Events, "--output", Path.Combine(_dir.FullName, "a1.jsonl"), "--store", store);
        Assert.True(first.Code == 0, first.Stderr);
        disk.ReadOnly();

        var answer = await Cli.Run("replay", "--input", Events, "--output", Path.Combine(_dir.FullName, "a2.jsonl"), "--store", store);

        CliMistakeTests.AssertOneLine(answer, "--store", store);
    }

    [Fact]
    public async Task A_metrics_file_on_a_full_disk_is_reported_once_with_the_points_lost_and_the_replay_still_completes()
    {
        using var disk = Tmpfs.TryMount("64k");
        Assert.True(disk is not null, "this test mounts a tmpfs: it needs root (./test.sh runs as root on the build machine)");
        disk!.Fill();
        var metrics = Path.Combine(disk.Path, "metrics.lp");
        var alerts = Path.Combine(_dir.FullName, "alerts.jsonl");

        var (code, stderr) = await Cli.Run("replay", "--input", Events, "--output", alerts, "--metrics-file", metrics);

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("   at ", stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var failed = Assert.Single(lines, l => l.Contains("cannot be written", StringComparison.Ordinal));
        Assert.Contains(metrics, failed);
        Assert.Contains("No space left on device", failed);
        var lost = Assert.Single(lines, l => l.Contains("points could not be written", StringComparison.Ordinal));
        Assert.Matches(@": [1-9][0-9]* points could not be written", lost);
        Assert.Equal(10, File.ReadAllLines(alerts).Length); // the replay's own outputs are whole
    }
}
