using Akka.Actor;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Pipeline;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// The entry of the detection graph: screens each batch (event-time guard, redelivery), splits it into
/// per-user, per-branch, per-employee and per-subject-share parts through the regions, and answers once every share is judged, with the
/// outputs in a deterministic order. Several batches may be in flight.
/// </summary>
public sealed class DetectionCoordinator : ReceiveActor
{
    private readonly TimeProvider _clock;
    /// <summary>Subjects are spread over this many actors; a subject always lands in the same one.</summary>
    public const int SubjectShares = 16;

    private readonly DetectionRegions _regions;
    private readonly EventTimeGuard _guard;
    private readonly EventDeduplicator _dedup;
    private readonly BranchDirectory _directory = new();
    private readonly EmployeeRouting _employees = new();
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly List<string> _chain = new(4);

    public DetectionCoordinator(DetectorContext context, TimeProvider clock, DetectionRegions regions)
    {
        _clock = clock;
        _regions = regions;
        _guard = new EventTimeGuard(context.Settings);
        _dedup = new EventDeduplicator(TimeSpan.FromHours(context.Settings.DedupHorizonHours));
        Receive<ProcessBatch>(Handle);
        Receive<PartDone>(Handle);
    }

    public static Props Props(DetectorContext context, TimeProvider clock, DetectionRegions regions) =>
        Akka.Actor.Props.Create(() => new DetectionCoordinator(context, clock, regions));

    private void Handle(ProcessBatch batch)
    {
        var now = _clock.GetUtcNow();
        var rejected = new List<RejectedEvent>();
        var duplicates = 0;
        var userParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        var branchParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        var employeeParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        var subjectParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var (e, source) = batch.Events[i];
            if (_dedup.Seen(source, e.EventId))
            {
                duplicates++;
                continue;
            }
            if (_guard.Check(e, source, now) is { } reason)
            {
                rejected.Add(new RejectedEvent(i, reason));
                continue;
            }
            _dedup.Remember(source, e.EventId, e.OccurredAt);
            _directory.Learn(e.BranchId, e.ParentBranchId);
            Add(userParts, e.UserId, e);
            if (_employees.Needs(e)) Add(employeeParts, e.EmployeeId!, e);
            if (e.Type == EventType.Login && e.Outcome is Outcome.Failed) Add(branchParts, e.BranchId, e);
            if (!e.IsSuccessfulQuery) continue;
            _chain.Clear();
            _directory.Chain(e.BranchId, _chain);
            foreach (var b in _chain) Add(branchParts, b, e);
            if (!string.IsNullOrEmpty(e.SubjectId)) Add(subjectParts, SubjectMonitor.ShareOf(e, SubjectShares), e);
        }

        var pending = new Pending(Sender, batch, userParts.Count + branchParts.Count + employeeParts.Count + subjectParts.Count, rejected, duplicates);
        if (pending.Remaining == 0)
        {
            Sender.Tell(pending.Result());
            return;
        }
        _pending[batch.BatchId] = pending;
        var part = 0;
        foreach (var (user, events) in userParts) _regions.Users.Tell(new UserEvents(batch.BatchId, part++, user, events));
        foreach (var (branch, events) in branchParts) _regions.Branches.Tell(new BranchEvents(batch.BatchId, part++, branch, events));
        foreach (var (employee, events) in employeeParts) _regions.Employees.Tell(new EmployeeEvents(batch.BatchId, part++, employee, events));
        foreach (var (share, events) in subjectParts) _regions.Subjects.Tell(new SubjectEvents(batch.BatchId, part++, share, events));
    }

    private void Handle(PartDone done)
    {
        if (!_pending.TryGetValue(done.BatchId, out var pending)) return;
        if (!pending.Complete(done)) return;
        _pending.Remove(done.BatchId);
        pending.ReplyTo.Tell(pending.Result());
    }

    private static void Add(Dictionary<string, List<QueryLogEvent>> parts, string key, QueryLogEvent e)
    {
        if (!parts.TryGetValue(key, out var list)) parts[key] = list = new List<QueryLogEvent>(2);
        list.Add(e);
    }

    private sealed class Pending(IActorRef replyTo, ProcessBatch batch, int parts, List<RejectedEvent> rejected, int duplicates)
    {
        private readonly PartDone?[] _parts = new PartDone?[parts];

        public IActorRef ReplyTo => replyTo;
        public int Remaining { get; private set; } = parts;

        public bool Complete(PartDone done)
        {
            if (_parts[done.Part] is not null) return false;
            _parts[done.Part] = done;
            return --Remaining == 0;
        }

        public BatchProcessed Result()
        {
            var alerts = new List<Alert>();
            var commands = new List<PermissionCommand>();
            foreach (var p in _parts)
            {
                alerts.AddRange(p!.Alerts);
                commands.AddRange(p.Commands);
                foreach (var (eventId, reason) in p.Failed)
                {
                    var index = IndexOf(eventId);
                    if (index >= 0 && !rejected.Exists(r => r.Index == index)) rejected.Add(new RejectedEvent(index, reason));
                }
            }
            rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
            return new BatchProcessed(batch.BatchId, alerts, commands, rejected, duplicates);
        }

        private int IndexOf(string eventId)
        {
            for (var i = 0; i < batch.Events.Count; i++)
                if (batch.Events[i].Event.EventId == eventId) return i;
            return -1;
        }
    }
}

/// <summary>The regions the coordinator splits batches over, one per kind of entity.</summary>
public sealed record DetectionRegions(IActorRef Users, IActorRef Branches, IActorRef Employees, IActorRef Subjects);
