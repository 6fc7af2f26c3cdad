using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Ingest;

namespace Monitor.Hosting;

/// <summary>What a verb asks of the monitor's host.</summary>
/// <param name="Settings">The settings in force (validated); reloads go from here to the graph.</param>
public sealed record MonitorHostOptions(SettingsInForce Settings)
{
    /// <summary>The settings file, watched and reloaded while the host runs (<c>run</c>); null watches nothing.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>The alert store beside which the detector state is kept (SQLite file or PostgreSQL); null keeps it in memory only.</summary>
    public string? StateStore { get; init; }

    /// <summary>Start from empty detector state, leaving (SQLite: deleting) what was saved.</summary>
    public bool Fresh { get; init; }

    /// <summary>When the behaviour models retrain; at each event day by default (replays).</summary>
    public ModelTraining Training { get; init; } = ModelTraining.Replay;

    /// <summary>Adjusts the state options the settings give (benchmarks shorten the idle time below the settings' whole minutes).</summary>
    public Func<StateOptions, StateOptions>? TuneState { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Join a cluster (<c>run --cluster-node</c>): the node starts no graph of its own; it leads the pipeline only while
    /// it holds the cluster's lease (<see cref="MonitorHost.LeadAsync"/>). Null: one node, the graph started at once.
    /// </summary>
    public Cluster.ClusterNode? Cluster { get; init; }

    /// <summary>
    /// A candidate flown beside the live settings (<c>run --candidate</c>, <see cref="MonitorHost.Flight"/>): its file is
    /// watched and reloaded while the host runs, as <see cref="SettingsFile"/> is, and it follows the analysts'
    /// suppressions stored with live's. Null: no flight.
    /// </summary>
    public FlightCandidate? Candidate { get; init; }

    /// <summary>Where the command line's log lines go (<see cref="LineLoggerProvider"/>): stderr by default.</summary>
    public Action<string> Lines { get; init; } = Console.Error.WriteLine;
}

/// <summary>A flight's candidate: its name (the alerts' <c>flight</c>, the metrics' <c>run</c>), its settings in force, and the file they reload from (null: none).</summary>
public sealed record FlightCandidate(string Name, SettingsInForce Settings, string? File);
