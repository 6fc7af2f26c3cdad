using Monitor.Detectors;
using Monitor.Detectors.Settings;

namespace Monitor.Ingest;

/// <summary>
/// Re-reads the settings file when it changes and puts it in force without a restart. A file that does not
/// load is refused with the reason (naming the key) and the monitor keeps running on the last good settings.
/// Polls the file's write time on the given <see cref="TimeProvider"/>, so tests drive it without waiting.
/// </summary>
public sealed class SettingsWatcher(string path, DetectorContext context, Action<string> report)
{
    private DateTime _seen = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;

    /// <summary>Checks once; returns true when new settings were put in force.</summary>
    public bool Check()
    {
        if (!File.Exists(path)) return false;
        var written = File.GetLastWriteTimeUtc(path);
        if (written == _seen) return false;
        _seen = written;
        try
        {
            context.Reload(SettingsLoader.Parse(File.ReadAllText(path)));
            report($"settings reloaded from {path}");
            return true;
        }
        catch (Exception e) when (e is SettingsException or IOException)
        {
            report($"settings refused, still running on the last good settings: {e.Message}");
            return false;
        }
    }

    /// <summary>Checks every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) Check();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
