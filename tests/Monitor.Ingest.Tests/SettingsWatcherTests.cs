using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Ingest;
using Xunit;

namespace Monitor.Ingest.Tests;

public sealed class SettingsWatcherTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"monitor-settings-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_path);

    private void Write(string json, int second)
    {
        File.WriteAllText(_path, json);
        File.SetLastWriteTimeUtc(_path, new DateTime(2026, 1, 1, 0, 0, second, DateTimeKind.Utc));
    }

    [Fact]
    public void Edited_settings_are_put_in_force_and_a_broken_edit_keeps_the_last_good_ones()
    {
        Write("""{ "volume": { "userDaily": 150 } }""", 0);
        var context = new SettingsInForce(new DetectionSettings());
        var told = new List<DetectorSnapshot>();
        context.Changed += told.Add;
        var messages = new List<string>();
        var watcher = new SettingsWatcher(_path, context, messages.Add);
        Assert.False(watcher.Check()); // unchanged since start

        Write("""{ "volume": { "userDaily": 90 } }""", 1);
        Assert.True(watcher.Check());
        Assert.Equal(90, context.Settings.Volume.UserDaily);
        Assert.Equal([90], told.Select(t => t.Settings.Volume.UserDaily)); // the graph is told, once

        Write("""{ "volume": { "userDaily": -5 } }""", 2);
        Assert.False(watcher.Check());
        Assert.Equal(90, context.Settings.Volume.UserDaily);
        Assert.Contains("volume.userDaily", messages[^1]);
        Assert.Single(told);
        Assert.StartsWith("settings refused, still running on the last good settings", messages[^1]);
    }

    [Fact]
    public void A_candidates_reloads_and_refusals_name_the_candidate_and_say_the_flight_goes_on()
    {
        Write("""{ "volume": { "userDaily": 30 } }""", 0);
        var candidate = new SettingsInForce(SettingsLoader.Parse(SettingsLoader.Read(_path)));
        var messages = new List<string>();
        var watcher = new SettingsWatcher(_path, candidate, messages.Add) { Subject = "candidate lower-volume", KeptAs = "the flight goes on with the last good candidate settings" };

        Write("""{ "volume": { "userDaily": 20 } }""", 1);
        Assert.True(watcher.Check());
        Assert.Equal($"candidate lower-volume reloaded from {_path}", messages[^1]);
        Write("""{ "volume": { "userDaily": "twenty" } }""", 2);
        Assert.False(watcher.Check());
        Assert.StartsWith("candidate lower-volume refused, the flight goes on with the last good candidate settings: ", messages[^1]);
        Assert.Contains("volume.userDaily", messages[^1]);
        Assert.Equal(20, candidate.Settings.Volume.UserDaily);
    }

    [Fact]
    public void A_calendar_file_that_is_not_a_calendar_is_refused_with_its_key_and_the_next_edit_is_still_read()
    {
        Write("""{ "volume": { "userDaily": 150 } }""", 0);
        var context = new SettingsInForce(new DetectionSettings());
        var messages = new List<string>();
        var watcher = new SettingsWatcher(_path, context, messages.Add);

        Write("""{ "calendarFiles": ["/etc/passwd"], "volume": { "userDaily": 7 } }""", 1);
        Assert.False(watcher.Check());
        Assert.StartsWith("settings refused, still running on the last good settings: settings: calendarFiles[0]: /etc/passwd is not a holiday calendar", messages[^1]);
        Assert.Equal(150, context.Settings.Volume.UserDaily);

        Write("""{ "volume": { "userDaily": 60 } }""", 2);
        Assert.True(watcher.Check());
        Assert.Equal(60, context.Settings.Volume.UserDaily);
    }
}
