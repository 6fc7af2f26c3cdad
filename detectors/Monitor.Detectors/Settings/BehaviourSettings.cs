using System.Text.Json.Serialization;

namespace Monitor.Detectors.Settings;

/// <summary>
/// The BEHAVIOUR_OUTLIER models' knobs (docs/models.md). One score threshold on the shared 0–100 scale is the
/// knob analysts turn; the rest say what counts as history and as a peer group.
/// </summary>
public sealed record BehaviourSettings
{
    [JsonPropertyName("enabled")] public bool Enabled { get; init; } = true;

    /// <summary>An ML alert is raised when a window scores at least this (50 is where each view reaches its limit below).</summary>
    [JsonPropertyName("minScore")] public int MinScore { get; init; } = 50;

    /// <summary>Own history: a feature this many standard deviations above the entity's usual reaches the threshold.</summary>
    [JsonPropertyName("ownDeviation")] public double OwnDeviation { get; init; } = 4.5;

    /// <summary>Drift: the cumulative excess (deviations above <see cref="DriftSlack"/>, summed over days) that reaches the threshold.</summary>
    [JsonPropertyName("driftLimit")] public double DriftLimit { get; init; } = 5;

    /// <summary>Drift: deviations up to this much a day are noise and do not accumulate.</summary>
    [JsonPropertyName("driftSlack")] public double DriftSlack { get; init; } = 1;

    /// <summary>Peers: a window this many times beyond the 99th percentile of the peer group's own windows reaches the threshold.</summary>
    [JsonPropertyName("peerFactor")] public double PeerFactor { get; init; } = 2;

    /// <summary>Days of the same kind (working or not) of an entity's own history before its own view counts; until then its peers judge it.</summary>
    [JsonPropertyName("minHistoryDays")] public int MinHistoryDays { get; init; } = 10;

    /// <summary>
    /// A new account (created within this many days, or first seen a week or more after the monitor started) is ramping
    /// up: its peers judge it, its own short history does not (no own-history, drift, hour-view or relative-volume alerts).
    /// </summary>
    [JsonPropertyName("rampDays")] public int RampDays { get; init; } = 30;

    /// <summary>Days of the same kind kept as an entity's own history.</summary>
    [JsonPropertyName("historyDays")] public int HistoryDays { get; init; } = 28;

    /// <summary>The newest days left out of the usual, so a change lasting several days is still compared with what came before it.</summary>
    [JsonPropertyName("lagDays")] public int LagDays { get; init; } = 5;

    /// <summary>Windows a peer group needs before it gets a model.</summary>
    [JsonPropertyName("minPeerWindows")] public int MinPeerWindows { get; init; } = 100;

    /// <summary>Distinct members a peer group needs before it gets a model.</summary>
    [JsonPropertyName("minPeers")] public int MinPeers { get; init; } = 4;

    /// <summary>Days of windows training learns from.</summary>
    [JsonPropertyName("trainingDays")] public int TrainingDays { get; init; } = 28;

    /// <summary>The hour view: each user's and branch's reads per hour through the streaming series detector.</summary>
    [JsonPropertyName("hourly")] public bool Hourly { get; init; } = true;

    /// <summary>Hour view: how unlikely the hour's count must be under Poisson noise around the expected (as standard deviations, with room for busy days).</summary>
    [JsonPropertyName("hourlyDeviation")] public double HourlyDeviation { get; init; } = 5;

    /// <summary>Hour view: an hour must also be at least this many times what the detector expected for it.</summary>
    [JsonPropertyName("hourlyFactor")] public double HourlyFactor { get; init; } = 3;

    /// <summary>Hour view: and hold at least this many reads for a user (a branch needs five times as many).</summary>
    [JsonPropertyName("hourlyMinReads")] public int HourlyMinReads { get; init; } = 25;

    /// <summary>Live runs retrain this often (wall-clock minutes) in the background; replays retrain at each new event day.</summary>
    [JsonPropertyName("retrainMinutes")] public int RetrainMinutes { get; init; } = 60;
}
