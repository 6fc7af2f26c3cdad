using Akka.Actor;
using Monitor.Detectors;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// The detection graph behind one door: the coordinator and the user, branch, employee and subject regions in an actor system.
/// Kafka ingest and file replay both push batches through <see cref="ProcessAsync"/>, which is why a replay
/// gives the alerts the live run gave.
/// </summary>
public sealed class DetectionGraph : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly IActorRef _coordinator;
    private long _nextBatch;

    private DetectionGraph(ActorSystem system, bool ownsSystem, DetectorContext context, TimeProvider clock, ModelTraining training)
    {
        _system = system;
        _ownsSystem = ownsSystem;
        var extractor = new EntityExtractor();
        var regions = new DetectionRegions(
            system.ActorOf(EntityRegion.Props(extractor, id => EntityActor.User(id, context)), "users"),
            system.ActorOf(EntityRegion.Props(extractor, id => EntityActor.Branch(id, context)), "branches"),
            system.ActorOf(EntityRegion.Props(extractor, id => EntityActor.Employee(id, context)), "employees"),
            system.ActorOf(EntityRegion.Props(extractor, _ => EntityActor.Subjects(context)), "subjects"));
        var trainer = system.ActorOf(ModelTrainer.Props(context, training, clock), "model-trainer");
        _coordinator = system.ActorOf(DetectionCoordinator.Props(context, clock, regions, trainer, training.Mode), "detection");
    }

    /// <summary>
    /// Starts the graph in <paramref name="system"/>, or in a new quiet actor system owned by the graph.
    /// <paramref name="training"/> says when the behaviour models retrain; by default at each event day, which
    /// makes a replay's alerts the same every time.
    /// </summary>
    public static DetectionGraph Start(DetectorContext context, TimeProvider clock, ActorSystem? system = null, ModelTraining? training = null)
    {
        var owns = system is null;
        system ??= ActorSystem.Create("monitor", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off");
        return new DetectionGraph(system, owns, context, clock, training ?? ModelTraining.Replay);
    }

    public Task<BatchProcessed> ProcessAsync(IReadOnlyList<IngestedEvent> events, CancellationToken cancellationToken = default) =>
        _coordinator.Ask<BatchProcessed>(new ProcessBatch(Interlocked.Increment(ref _nextBatch), events), TimeSpan.FromMinutes(5), cancellationToken);

    /// <summary>Reopens automatic suspension in a branch the safety valve stopped (an officer's decision).</summary>
    public void Reopen(string branchId) => _coordinator.Tell(new ReopenBranch(branchId));

    /// <summary>Restores the safety valve's stopped branches after a restart; call before the first batch.</summary>
    public void KeepShut(IReadOnlyList<string> branchIds) => _coordinator.Tell(new BranchesShut(branchIds));

    public async ValueTask DisposeAsync()
    {
        if (_ownsSystem) await _system.Terminate();
    }
}
