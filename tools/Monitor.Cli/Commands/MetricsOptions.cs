using System.CommandLine;
using Monitor.Metrics;

namespace Monitor.Cli.Commands;

/// <summary>
/// Where metrics go (docs/metrics.md): InfluxDB when <c>--influx</c> names a server (1.x by default, through the
/// project's line-protocol writer; 2.x/3.x with <c>--influx-org</c> and <c>--influx-bucket</c>, through the
/// official InfluxDB.Client), else a line-protocol file. Secrets may come from the environment instead of
/// the command line (INFLUX_PASSWORD, INFLUX_TOKEN), so they stay out of process listings.
/// </summary>
internal sealed class MetricsOptions(string? defaultFile)
{
    // A string, checked by InfluxUrl: System.CommandLine cannot bind Uri (it failed on every URL, issue 13).
    public Option<string?> Url { get; } = new("--influx") { Description = "InfluxDB base URL, e.g. http://127.0.0.1:8086; metrics go to --metrics-file when left out" };
    public Option<string> Database { get; } = new("--influx-db") { Description = "1.x database", DefaultValueFactory = _ => "credit_monitor" };
    public Option<string?> User { get; } = new("--influx-user") { Description = "1.x user (password from INFLUX_PASSWORD)" };
    public Option<string?> Org { get; } = new("--influx-org") { Description = "2.x/3.x organisation (needed with --influx-bucket)" };
    public Option<string?> Bucket { get; } = new("--influx-bucket") { Description = "2.x/3.x bucket (selects the /api/v2/write API; token from INFLUX_TOKEN)" };
    public Option<FileInfo?> File { get; } = defaultFile is null
        ? new("--metrics-file") { Description = "line-protocol file for metrics when no --influx is given (none when left out)" }
        : new("--metrics-file") { Description = "line-protocol file for metrics when no --influx is given", DefaultValueFactory = _ => new FileInfo(defaultFile) };
    public Option<string> Run { get; } = new("--metrics-run") { Description = "the run tag of event-time metrics: live, or a name for a replay of candidate settings (the tuning dashboard compares them)", DefaultValueFactory = _ => "live" };

    public IEnumerable<Option> All => [Url, Database, User, Org, Bucket, File, Run];

    /// <summary>The sink; <paramref name="fileUnlessGiven"/> replaces the default file when --metrics-file is not on the command line.</summary>
    public (IMetricsSink? Sink, string Where) Create(ParseResult p, Action<string> log, FileInfo? fileUnlessGiven = null)
    {
        if (p.GetValue(Url) is not { } text)
        {
            var file = p.GetResult(File) is not { Implicit: false } && fileUnlessGiven is not null ? fileUnlessGiven : p.GetValue(File);
            if (file is null) return (null, "no metrics");
            if (fileUnlessGiven is not null && file == fileUnlessGiven) file.Delete(); // the demo starts a fresh file each run
            return (FileSink(file, log), $"metrics (line protocol) in {file.FullName}");
        }
        var url = InfluxUrl.Parse(text);
        var options = new InfluxOptions
        {
            Url = url,
            Database = p.GetValue(Database)!,
            Username = p.GetValue(User),
            Password = Environment.GetEnvironmentVariable("INFLUX_PASSWORD"),
            Org = p.GetValue(Org),
            Bucket = p.GetValue(Bucket),
            Token = Environment.GetEnvironmentVariable("INFLUX_TOKEN"),
        };
        if (!options.IsV2) return (InfluxSink.Create(options, log), $"metrics to InfluxDB 1.x at {url} (database {options.Database})");
        // The 2.x write API names both; InfluxDB 3 ignores the organisation, but the client still needs one.
        if (string.IsNullOrWhiteSpace(options.Org)) throw new CliException("--influx-bucket needs --influx-org (the 2.x/3.x write API names both; InfluxDB 3 ignores the organisation, any name does)");
        return (InfluxSink.Create(options, log), $"metrics to InfluxDB 2.x at {url} (org {options.Org}, bucket {options.Bucket})");
    }

    private static FileMetricsSink FileSink(FileInfo file, Action<string> log)
    {
        try
        {
            return new FileMetricsSink(file.FullName, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--metrics-file: cannot write {file.FullName}: {Cli.Reason(e)}");
        }
    }
}
