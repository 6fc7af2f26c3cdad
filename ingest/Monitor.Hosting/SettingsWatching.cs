using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitor.Ingest;

namespace Monitor.Hosting;

/// <summary>The settings file watched while the host runs (<see cref="SettingsWatcher"/>), its reports in the log.</summary>
internal sealed class SettingsWatching(string path, SettingsInForce settings, ILogger log, TimeProvider clock) : BackgroundService
{
    private readonly SettingsWatcher _watcher = new(path, settings, m => log.LogInformation("{Line}", m));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _watcher.RunAsync(SettingsWatcher.Interval, clock, stoppingToken);
}
