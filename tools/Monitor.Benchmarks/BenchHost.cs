using Monitor.Actors;
using Monitor.Detectors.Settings;
using Monitor.Hosting;
using Monitor.Ingest;



/// <summary>The monitor's host as the benchmarks start it: default settings, quiet, state in memory or beside <c>store</c>.</summary>
internal static class BenchHost
{
    public static Task<MonitorHost> StartAsync(TrainingMode training, string? store = null, TimeSpan? idleAfter = null) =>
        MonitorHost.StartAsync(new MonitorHostOptions(new SettingsInForce(new DetectionSettings()))
        {
            Training = new ModelTraining(training),
            StateStore = store,
            TuneState = idleAfter is { } idle ? s => s with { IdleAfter = idle } : null,
            Lines = _ => { },
        });
}
