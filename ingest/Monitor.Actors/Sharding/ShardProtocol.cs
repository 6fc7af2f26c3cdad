using Akka.Actor;
using Monitor.Actors.State;
using Monitor.Detectors;
using Monitor.Models;

namespace Monitor.Actors.Sharding;

/// <summary>
/// A message for an entity that lives in an Akka.Cluster.Sharding region (cluster mode), with the lead term it belongs
/// to. The shard regions route it by <see cref="EntityId"/>; the entity (<see cref="ShardedEntity"/>) unwraps it.
/// </summary>
public sealed record EntityEnvelope(string EntityId, EntityTerm Term, object Message);

/// <summary>
/// What an entity on any node must know about the pipeline's term to judge a message as the leading node would: the
/// term's <paramref name="Epoch"/> (a newer one means the state built under an older term may not count: reload), the
/// checkpoints that count (<paramref name="Ledger"/>, for loading), the settings and models versions in force for this
/// message, whether the leading node has already given the entity work in this term (<paramref name="Continuing"/>:
/// an entity that has none has lost it, see <see cref="PartDone.Lost"/>), and the leading node's stand-in for the
/// entity (<paramref name="Region"/>), which decides passivation and serves the settings and models.
/// </summary>
public sealed record EntityTerm(long Epoch, LedgerView Ledger, string SettingsVersion, string ModelsVersion, bool Continuing, IActorRef Region);

/// <summary>The region lets an idle, saved entity leave memory: stop (locally) or passivate (sharded, then answer <see cref="EntityStopped"/>).</summary>
public sealed record StopEntity
{
    public static readonly StopEntity Instance = new();
}

/// <summary>
/// The region to a stand-in: the entity's state is all in a committed checkpoint (saved under it, untouched since), as
/// <paramref name="Ledger"/> says. Until the entity gets work again it holds nothing that could be lost: an entity
/// whose shard moved meanwhile starts again from that snapshot, and the term goes on.
/// </summary>
public sealed record EntityClean(LedgerView Ledger);

/// <summary>A sharded entity stopped after <see cref="StopEntity"/>: its stand-in may go, and the next message starts it again.</summary>
public sealed record EntityStopped(string EntityId);

/// <summary>A node's cache asks the leading node's stand-in for the settings and models of these versions.</summary>
public sealed record ConfigWanted(string SettingsVersion, string ModelsVersion);

/// <summary>
/// The settings and models of the versions asked for (null: the stand-in no longer holds that version; the term that
/// needs it is gone or going). Crosses nodes once per version and node, not per entity.
/// </summary>
public sealed record ConfigPackage(string SettingsVersion, DetectorSnapshot? Settings, string ModelsVersion, PeerModelSet? Models);

/// <summary>
/// An entity on another node lost the state it built in this term (its node died, or its shard moved): the term's
/// outputs cannot be trusted from here on, and the leading node begins a new term from the last checkpoint.
/// </summary>
public sealed class EntityStateLostException(string message) : Exception(message);
