using Akka.Actor;
using Monitor.Detectors;
using Monitor.Models;

namespace Monitor.Actors;

/// <summary>
/// Settings put in force (an analyst's reload): the coordinator takes them between two segments and passes them
/// to the regions and the trainer, a region to every entity it holds and to each entity it starts later. So every
/// entity judges from the same point of the stream on under the new version, and none reads settings that change
/// while it works. Does not keep an idle entity in memory.
/// </summary>
public sealed record UseSettings(DetectorSnapshot Settings) : INotInfluenceReceiveTimeout
{
    /// <summary>The version a region gave these settings, by which entities on other nodes ask for them (cluster mode).</summary>
    public string? Version { get; init; }
}

/// <summary>Peer models put in force (a training run, or the models restored at start), passed on as <see cref="UseSettings"/> is.</summary>
public sealed record UseModels(PeerModelSet Models) : INotInfluenceReceiveTimeout
{
    /// <summary>The version a region gave these models (see <see cref="UseSettings.Version"/>).</summary>
    public string? Version { get; init; }
}
