using Monitor.Detectors.Settings;

namespace Monitor.Ingest;

/// <summary>
/// Re-reads the settings file when it changes and puts it in force without a restart. A file that does not
/// load is refused with the reason (naming the key) and the monitor keeps running on the last good settings.
/// Polls the file's write time on the given <see cref="TimeProvider"/>, so tests drive it without waiting. No
/// failure of a reload stops the watching: whatever goes wrong is reported with its reason, and the next save
/// is read again (a bad edit must not leave a revoked API key working).
/// </summary>
public sealed class SettingsWatcher(string path, SettingsInForce settings, Action<string> report)
{
    /// <summary>How often <c>run</c> looks at the file: a saved change (a revoked key) is in force within this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private DateTime _seen = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;

    /// <summary>What the file holds, as the reports name it: the settings in force, or a flight's candidate.</summary>
    public string Subject { get; init; } = "settings";

    /// <summary>What a refused file leaves in force, as the reports say it.</summary>
    public string KeptAs { get; init; } = "still running on the last good settings";

    /// <summary>Checks once; returns true when new settings were put in force.</summary>
    public bool Check()
    {
        try
        {
            if (!File.Exists(path)) return false;
            var written = File.GetLastWriteTimeUtc(path);
            if (written == _seen) return false;
            _seen = written;
            settings.Replace(SettingsLoader.Parse(SettingsLoader.Read(path)));
            report($"{Subject} reloaded from {path}");
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any failure, not only the ones foreseen: an unforeseen one must not end the watching silently.
            report($"{Subject} refused, {KeptAs}: {(e is SettingsException ? e.Message : $"{path}: {e.GetType().Name}: {e.Message}")}");
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
