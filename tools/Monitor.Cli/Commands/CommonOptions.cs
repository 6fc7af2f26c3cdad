using Monitor.Ingest;
using System.CommandLine;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Simulator;
using NodaTime.Text;

namespace Monitor.Cli.Commands;

/// <summary>Options several verbs share, parsed the same way everywhere.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Settings() => new("--settings") { Description = "detection settings file (JSON, see docs/settings.md); defaults when left out" };

    public static Option<string?> Kafka() => new("--kafka") { Description = "bootstrap servers of a real Kafka cluster (host:port); the embedded mock cluster when left out" };

    public static Option<string> Store(string fallback) => new("--store")
    {
        Description = "the alert store: a SQLite file (created if missing), or a PostgreSQL connection string with Host=... (docs/store.md)",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<string?> Api() => new("--api") { Description = "host:port the officers' API listens on (default: api.listen in the settings, 127.0.0.1:8080)" };

    public static Option<int> Seed() => new("--seed") { Description = "simulation seed", DefaultValueFactory = _ => 42 };

    public static Option<int> Days() => new("--days") { Description = "days of bank traffic to simulate", DefaultValueFactory = _ => 14 };

    public static Option<string> Start() => new("--start") { Description = "first simulated day (yyyy-MM-dd)", DefaultValueFactory = _ => "2026-03-02" };

    public static Option<bool> Fresh() => new("--fresh") { Description = "start from empty detector state instead of continuing from the state saved beside --store" };

    public static Option<string?> Incidents() => new("--incidents")
    {
        Description = $"incidents to inject as kind=count,...; rule kinds: {string.Join(", ", IncidentKind.All.Select(k => k.Name))} (default one of each); "
            + $"subtle kinds for the behaviour models: {string.Join(", ", IncidentKind.Subtle.Select(k => k.Name))} (they need --days 40 or so); "
            + $"kinds that need --feeds: {string.Join(", ", IncidentKind.FeedKinds.Select(k => k.Name))}; "
            + "'subtle' alone is ten of those, 'all' every set",
    };

    public static Option<bool> Feeds() => new("--feeds")
    {
        Description = "also simulate the approval register (查询审批登记簿) and HR feeds and the administrators' everyday changes, with their incidents",
    };

    /// <summary>The settings file (or the defaults), validated and loaded, as the settings in force of this run.</summary>
    /// <summary>
    /// Opens an alert store that must already exist (the verbs that read one: <c>audit</c>, <c>report</c>): an SQLite
    /// file that is not there, or a store that cannot be opened, is one line naming <c>--store</c> (password hidden).
    /// </summary>
    public static async Task<Monitor.Store.AlertStore> OpenExistingStoreAsync(string location)
    {
        if (!location.Contains("Host=", StringComparison.OrdinalIgnoreCase) && !File.Exists(location)) throw new CliException($"--store: no store at {location}");
        try
        {
            return await Monitor.Store.AlertStore.OpenAsync(location, TimeProvider.System);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or InvalidOperationException)
        {
            throw new CliException($"--store: cannot open {Monitor.Hosting.OfficerService.Redact(location)}: {e.Message}");
        }
    }

    public static SettingsInForce LoadSettings(FileInfo? settings) => LoadSettings(settings, "--settings");

    /// <summary>
    /// As <see cref="LoadSettings(FileInfo?)"/> for a settings file given by another option (<c>backtest --baseline</c>,
    /// <c>--candidate</c>): a file that does not load is one line naming the option and the file, then the problem.
    /// </summary>
    public static SettingsInForce LoadSettings(FileInfo? settings, string option)
    {
        if (settings is { Exists: false })
            throw new CliException($"{option}: {settings.FullName} {(Directory.Exists(settings.FullName) ? "is a folder, not a settings file" : "does not exist")}");
        try
        {
            return new SettingsInForce(SettingsLoader.Load(settings?.FullName));
        }
        catch (SettingsException e)
        {
            throw new CliException(option == "--settings" || settings is null ? e.Message : $"{option} {settings.FullName}: {e.Message}");
        }
    }

    public static SimulationOptions Simulation(ParseResult p, Option<int> seed, Option<int> days, Option<string> start, Option<string?> incidents)
    {
        var startDate = LocalDatePattern.Iso.Parse(p.GetValue(start)!);
        if (!startDate.Success) throw new CliException($"--start: '{p.GetValue(start)}' is not a date yyyy-MM-dd");
        if (p.GetValue(days) < 1) throw new CliException($"--days: {p.GetValue(days)} must be 1 or more");
        var o = new SimulationOptions { Seed = p.GetValue(seed), Days = p.GetValue(days), Start = startDate.Value };
        if (p.GetValue(incidents) is { Length: > 0 } spec)
        {
            var map = new Dictionary<string, int>();
            foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part is "subtle" or "all")
                {
                    foreach (var (k, n) in IncidentKind.SubtleMix) map[k] = n;
                    if (part == "all") foreach (var k in IncidentKind.All.Concat(IncidentKind.FeedKinds)) map[k.Name] = 1;
                    continue;
                }
                var kv = part.Split('=');
                try
                {
                    var kind = IncidentKind.Named(kv[0]);
                    var count = kv.Length > 1 ? int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
                    if (count < 0) throw new FormatException($"{part}: the count must be zero or more");
                    map[kind.Name] = count;
                }
                catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
                {
                    throw new CliException($"--incidents: {e.Message}");
                }
            }
            o = o with { Incidents = map };
        }
        return o;
    }
}

/// <summary>A user error: printed as one line, exit code 2, no stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
