using Akka.Actor;
using Akka.Event;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// The actor of one entity (a user, a branch, an employee, a share of subjects): owns that entity's
/// <see cref="IEntityMonitor"/> and answers each share of a batch with what it produced. An event that throws
/// is reported as failed (and dead-lettered) instead of killing the actor's state.
/// </summary>
public sealed class EntityActor : ReceiveActor
{
    private readonly IEntityMonitor _monitor;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <param name="create">Makes the entity's state; called again if the actor is ever restarted.</param>
    public EntityActor(Func<IEntityMonitor> create)
    {
        _monitor = create();
        Receive<IEntityShare>(Handle);
    }

    // Entity actors are created by the thousand: Props.Create<T>(args) avoids compiling an expression tree per actor.
    public static Props User(string userId, DetectorContext context) => Of(() => new UserMonitor(userId, context));

    public static Props Branch(string branchId, DetectorContext context) => Of(() => new BranchMonitor(branchId, context));

    public static Props Employee(string employeeId, DetectorContext context) => Of(() => new EmployeeMonitor(employeeId, context));

    public static Props Subjects(DetectorContext context) => Of(() => new SubjectMonitor(context));

    private static Props Of(Func<IEntityMonitor> create) => Props.Create<EntityActor>(create);

    private void Handle(IEntityShare msg) =>
        Sender.Tell(EntityWork.Run(msg, _monitor, _log));
}

/// <summary>The shared loop of entity actors: run every event, collect outputs, isolate failures.</summary>
internal static class EntityWork
{
    public static PartDone Run(IEntityShare share, IEntityMonitor monitor, ILoggingAdapter log)
    {
        var output = new DetectionOutput();
        List<(string, string)>? failed = null;
        foreach (var e in share.Events)
        {
            try
            {
                monitor.Process(e, output);
            }
            catch (Exception ex)
            {
                log.Error(ex, "detector failed on event {0}", e.EventId);
                (failed ??= []).Add((e.EventId, $"processing error: {ex.GetType().Name}: {ex.Message}"));
            }
        }
        if (share.End is { } end)
        {
            try
            {
                monitor.EndOfDay(end.Day, end.At, output);
            }
            catch (Exception ex)
            {
                log.Error(ex, "detector failed closing day {0}", end.Day);
            }
        }
        return new PartDone(share.BatchId, share.Part, output.Alerts, output.Commands, failed ?? (IReadOnlyList<(string, string)>)[]) { Windows = output.Windows };
    }
}
