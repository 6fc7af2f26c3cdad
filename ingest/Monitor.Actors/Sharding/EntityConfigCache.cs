using Akka.Actor;
using Monitor.Detectors;
using Monitor.Models;

namespace Monitor.Actors.Sharding;

/// <summary>
/// A node's copies of the settings and models versions its sharded entities use (cluster mode). The first entity to
/// need a version asks the leading node for it (the models are about 1.6 MB); every other entity on the node gets the
/// same objects from here. Keeps the last few versions of each (<see cref="KeptVersions{T}"/>); asks again every
/// <see cref="RetryAfter"/> while an answer is missing (the leading node may be changing).
/// </summary>
public sealed class EntityConfigCache : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly KeptVersions<DetectorSnapshot> _settings = new();
    private readonly KeptVersions<PeerModelSet> _models = new();
    private readonly Dictionary<ConfigWanted, (IActorRef Source, List<IActorRef> Waiting)> _pending = [];
    private readonly Dictionary<ConfigWanted, int> _tries = [];

    /// <summary>Asks before a version is given up as gone (its leading node died): the entities waiting are told so.</summary>
    public const int Tries = 12;

    public EntityConfigCache()
    {
        Receive<Fetch>(f =>
        {
            if (Answer(f.Wanted) is { } package)
            {
                Sender.Tell(package);
                return;
            }
            if (_pending.TryGetValue(f.Wanted, out var waiting))
            {
                waiting.Waiting.Add(Sender);
                _pending[f.Wanted] = (f.Source, waiting.Waiting);
                return;
            }
            _pending[f.Wanted] = (f.Source, [Sender]);
            f.Source.Tell(f.Wanted);
            Timers.StartPeriodicTimer("retry", Retry.Instance, RetryAfter);
        });
        Receive<ConfigPackage>(p =>
        {
            if (p.Settings is not null) _settings.Add(p.SettingsVersion, p.Settings);
            if (p.Models is not null) _models.Add(p.ModelsVersion, p.Models);
            foreach (var (wanted, (_, waiting)) in _pending.ToList())
            {
                var answer = Answer(wanted);
                if (answer is null && wanted != new ConfigWanted(p.SettingsVersion, p.ModelsVersion)) continue;
                foreach (var w in waiting) w.Tell(answer ?? p); // a package with a version missing: the term that needs it is over
                _pending.Remove(wanted);
                _tries.Remove(wanted);
            }
            if (_pending.Count == 0) Timers.Cancel("retry");
        });
        Receive<Retry>(_ =>
        {
            foreach (var (wanted, (source, waiting)) in _pending.ToList())
            {
                _tries[wanted] = _tries.GetValueOrDefault(wanted) + 1;
                if (_tries[wanted] < Tries)
                {
                    source.Tell(wanted);
                    continue;
                }
                foreach (var w in waiting) w.Tell(new ConfigPackage(wanted.SettingsVersion, null, wanted.ModelsVersion, null));
                _pending.Remove(wanted);
                _tries.Remove(wanted);
            }
            if (_pending.Count == 0) Timers.Cancel("retry");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new EntityConfigCache());

    private ConfigPackage? Answer(ConfigWanted wanted)
    {
        var settings = _settings.Find(wanted.SettingsVersion);
        var models = wanted.ModelsVersion == PeerModelSet.Empty.Version ? PeerModelSet.Empty : _models.Find(wanted.ModelsVersion);
        return settings is null || models is null ? null : new ConfigPackage(wanted.SettingsVersion, settings, wanted.ModelsVersion, models);
    }

    /// <summary>An entity of this node needs <paramref name="Wanted"/>; <paramref name="Source"/> is its stand-in on the leading node.</summary>
    public sealed record Fetch(ConfigWanted Wanted, IActorRef Source);

    private sealed class Retry
    {
        public static readonly Retry Instance = new();
    }
}

/// <summary>The one <see cref="EntityConfigCache"/> of an actor system, started on first use.</summary>
public sealed class EntityConfig : IExtension
{
    private EntityConfig(ExtendedActorSystem system) => Cache = system.SystemActorOf(EntityConfigCache.Props(), "entity-config");

    public IActorRef Cache { get; }

    private long _fromOtherNodes;

    /// <summary>Messages this node's sharded entities have had from the leading node on another node (each is answered once).</summary>
    public long FromOtherNodes => Interlocked.Read(ref _fromOtherNodes);

    internal void Crossed() => Interlocked.Increment(ref _fromOtherNodes);

    public static EntityConfig Get(ActorSystem system) => system.WithExtension<EntityConfig, Provider>();

    /// <summary>Akka's extension id.</summary>
    public sealed class Provider : ExtensionIdProvider<EntityConfig>
    {
        public override EntityConfig CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
