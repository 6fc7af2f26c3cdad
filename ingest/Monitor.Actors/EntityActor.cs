using Akka.Actor;
using Akka.Event;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// The actor of one user: owns that user's <see cref="UserMonitor"/> and answers each share of a batch with
/// what it produced. An event that throws is reported as failed (and dead-lettered) instead of killing the
/// actor's state.
/// </summary>
public sealed class UserActor : ReceiveActor
{
    private readonly UserMonitor _monitor;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public UserActor(string userId, DetectorContext context)
    {
        _monitor = new UserMonitor(userId, context);
        Receive<UserEvents>(Handle);
    }

    public static Props Props(string userId, DetectorContext context) => Akka.Actor.Props.Create(() => new UserActor(userId, context));

    private void Handle(UserEvents msg) =>
        Sender.Tell(EntityWork.Run(msg.BatchId, msg.Part, msg.Events, _monitor.Process, _log));
}

/// <summary>The actor of one branch: owns its <see cref="BranchMonitor"/>.</summary>
public sealed class BranchActor : ReceiveActor
{
    private readonly BranchMonitor _monitor;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public BranchActor(string branchId, DetectorContext context)
    {
        _monitor = new BranchMonitor(branchId, context);
        Receive<BranchEvents>(Handle);
    }

    public static Props Props(string branchId, DetectorContext context) => Akka.Actor.Props.Create(() => new BranchActor(branchId, context));

    private void Handle(BranchEvents msg) =>
        Sender.Tell(EntityWork.Run(msg.BatchId, msg.Part, msg.Events, _monitor.Process, _log));
}

/// <summary>The shared loop of entity actors: run every event, collect outputs, isolate failures.</summary>
internal static class EntityWork
{
    public static PartDone Run(long batchId, int part, IReadOnlyList<QueryLogEvent> events, Action<QueryLogEvent, DetectionOutput> process, ILoggingAdapter log)
    {
        var output = new DetectionOutput();
        List<(string, string)>? failed = null;
        foreach (var e in events)
        {
            try
            {
                process(e, output);
            }
            catch (Exception ex)
            {
                log.Error(ex, "detector failed on event {0}", e.EventId);
                (failed ??= []).Add((e.EventId, $"processing error: {ex.GetType().Name}: {ex.Message}"));
            }
        }
        return new PartDone(batchId, part, output.Alerts, output.Commands, failed ?? (IReadOnlyList<(string, string)>)[]);
    }
}
