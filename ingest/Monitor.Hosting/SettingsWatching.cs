using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitor.Ingest;

namespace Monitor.Hosting;

/// <summary>A settings file watched while the host runs (<see cref="SettingsWatcher"/>), its reports in the log: the live settings', or a flight's candidate.</summary>
internal sealed class SettingsWatching(SettingsWatcher watcher, TimeProvider clock) : BackgroundService
{
    private readonly SettingsWatcher _watcher = watcher;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _watcher.RunAsync(SettingsWatcher.Interval, clock, stoppingToken);
}
