using Akka.Actor;
using Akka.Event;
using Monitor.Actors.State;
using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Suspension;
using Monitor.Detectors.Pipeline;
using Monitor.Messages;
using Monitor.Models;

namespace Monitor.Actors;

/// <summary>
/// The entry of the detection graph: screens each batch (event-time guard, redelivery), splits it into
/// per-user, per-branch, per-employee and per-subject-share parts through the regions, and answers once every share is judged, with the
/// outputs in a deterministic order. Several batches may be in flight. Along the way it marks queries whose
/// subject was first read at another branch, tells entities when event time has left a day behind (so their
/// day windows close), passes closed windows to the model trainer, and in
/// <see cref="TrainingMode.EachEventDay"/> holds a new day's batches until the models are retrained.
/// </summary>
public sealed class DetectionCoordinator : ReceiveActor, IWithUnboundedStash
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
    private readonly Dictionary<long, Screened> _screened = [];
    private readonly List<string> _chain = new(4);
    private readonly SubjectOrigins _origins = new(TimeSpan.FromDays(45));
    private readonly EventDays _days;
    private readonly IActorRef? _trainer;
    private readonly TrainingMode _mode;
    private int _trainedForDay = int.MinValue;
    private readonly SuspensionDesk _desk;
    private bool _awaitingModels;
    private bool _holding;

    public DetectionCoordinator(DetectorContext context, TimeProvider clock, DetectionRegions regions, IActorRef? trainer = null, TrainingMode mode = TrainingMode.Off, byte[]? restored = null)
    {
        _clock = clock;
        _regions = regions;
        _trainer = trainer;
        _mode = trainer is null ? TrainingMode.Off : mode;
        _guard = new EventTimeGuard(context.Settings);
        _dedup = new EventDeduplicator(TimeSpan.FromHours(context.Settings.DedupHorizonHours));
        _desk = new SuspensionDesk(() => context.Settings.Suspension);
        _days = new EventDays(context.Settings.TimeZone, context.Settings.AllowedLateness);
        Receive<ProcessBatch>(Handle);
        Receive<PartDone>(Handle);
        Receive<ModelsInstalled>(Handle);
        Receive<ReopenBranch>(r => _desk.Reopen(r.BranchId));
        Receive<BranchesShut>(s => _desk.Shut(s.BranchIds));
        Receive<GetState>(_ => Sender.Tell(new StateBytes(SaveState())));
        Receive<SeedBranches>(s =>
        {
            foreach (var (branch, parent) in s.Branches) _directory.Learn(branch, parent); // what the events showed first stays
            Sender.Tell(new AccountsSeeded(s.Branches.Count));
        });
        if (restored is not null) RestoreState(restored);
    }

    /// <summary>Everything the coordinator remembers between batches (checkpoints are taken between batches, so nothing is in flight).</summary>
    private byte[] SaveState()
    {
        using var w = new StateWriter();
        w.Section("DetectionCoordinator");
        _dedup.Save(w);
        _guard.Save(w);
        _directory.Save(w);
        _employees.Save(w);
        _origins.Save(w);
        _days.Save(w);
        _desk.Save(w);
        w.Write(_trainedForDay);
        return w.ToArray();
    }

    private void RestoreState(byte[] bytes)
    {
        try
        {
            using var r = StateReader.Open(bytes);
            r.Section("DetectionCoordinator");
            _dedup.Restore(r);
            _guard.Restore(r);
            _directory.Restore(r);
            _employees.Restore(r);
            _origins.Restore(r);
            _days.Restore(r);
            _desk.Restore(r);
            _trainedForDay = r.ReadInt();
            r.End();
        }
        catch (StateFormatException e)
        {
            // Cannot happen for a record this release wrote; an older layout is refused as a whole by the graph.
            Context.GetLogger().Warning("dropped the coordinator's saved state ({0}); it starts empty", e.Message);
        }
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(DetectorContext context, TimeProvider clock, DetectionRegions regions, IActorRef? trainer = null, TrainingMode mode = TrainingMode.Off, byte[]? restored = null) =>
        Akka.Actor.Props.Create(() => new DetectionCoordinator(context, clock, regions, trainer, mode, restored));

    private void Handle(ProcessBatch batch)
    {
        // Screened once, on arrival and in arrival order, before anything else reads the events' times: a batch
        // held for training is judged on the events that will really be processed, and an absurd timestamp never
        // reaches the day arithmetic.
        if (!_screened.TryGetValue(batch.BatchId, out var screened)) _screened[batch.BatchId] = screened = Screen(batch);
        if (_holding || NeedsTraining(screened))
        {
            _holding = true; // later batches wait behind this one, in order
            Stash.Stash();
            return;
        }
        _screened.Remove(batch.BatchId);
        var userParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        var branchParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        var employeeParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        var subjectParts = new Dictionary<string, List<QueryLogEvent>>(StringComparer.Ordinal);
        for (var k = 0; k < screened.Accepted.Count; k++)
        {
            var (e, source) = batch.Events[screened.Accepted[k]];
            _directory.Learn(e.BranchId, e.ParentBranchId);
            if (e.IsSuccessfulQuery)
            {
                _chain.Clear();
                _directory.Chain(e.BranchId, _chain);
                if (e.SubjectKey != 0 && IsForeign(e)) e = e with { SubjectFirstSeenElsewhere = true };
            }
            _days.Observe(e, source, screened.SourceTimes[k]);
            Add(userParts, e.UserId, e);
            if (_employees.Needs(e)) Add(employeeParts, e.EmployeeId!, e);
            if (e.Type == EventType.Login && e.Outcome is Outcome.Failed) Add(branchParts, e.BranchId, e);
            if (!e.IsSuccessfulQuery) continue;
            foreach (var b in _chain) Add(branchParts, b, e);
            if (!string.IsNullOrEmpty(e.SubjectId)) Add(subjectParts, SubjectMonitor.ShareOf(e, SubjectShares), e);
        }
        var (rejected, duplicates) = (screened.Rejected, screened.Duplicates);

        var ended = _days.Ended();
        if (ended is not null)
        {
            foreach (var u in ended.Users) userParts.TryAdd(u, []);
            foreach (var b in ended.Branches) branchParts.TryAdd(b, []);
        }
        var end = ended is null ? null : new DayEnd(ended.Day, ended.At);
        var pending = new Pending(Sender, batch, userParts.Count + branchParts.Count + employeeParts.Count + subjectParts.Count, rejected, duplicates, screened.Accepted);
        if (pending.Remaining == 0)
        {
            var (none, _) = pending.Result();
            _desk.Decide(pending.Accepted(), []); // account events still reach the desk
            Sender.Tell(none);
            return;
        }
        _pending[batch.BatchId] = pending;
        var part = 0;
        foreach (var (user, events) in userParts)
            _regions.Users.Tell(new UserEvents(batch.BatchId, part++, user, events) { End = ended?.Users.Contains(user) == true ? end : null });
        foreach (var (branch, events) in branchParts)
            _regions.Branches.Tell(new BranchEvents(batch.BatchId, part++, branch, events) { End = ended?.Branches.Contains(branch) == true ? end : null });
        foreach (var (employee, events) in employeeParts) _regions.Employees.Tell(new EmployeeEvents(batch.BatchId, part++, employee, events));
        foreach (var (share, events) in subjectParts) _regions.Subjects.Tell(new SubjectEvents(batch.BatchId, part++, share, events));
    }

    private void Handle(PartDone done)
    {
        if (!_pending.TryGetValue(done.BatchId, out var pending)) return;
        if (!pending.Complete(done)) return;
        _pending.Remove(done.BatchId);
        var (result, windows) = pending.Result();
        var decided = _desk.Decide(pending.Accepted(), result.Alerts);
        result = result with { Commands = decided.Commands, Alerts = decided.Alerts, Shut = decided.NewlyShut };
        if (_trainer is not null && windows.Count > 0) _trainer.Tell(new TrainingWindows(windows));
        pending.ReplyTo.Tell(result);
        if (_pending.Count == 0 && _holding && !_awaitingModels) Release(); // a new day's batch waited for the others to finish
    }

    private void Handle(ModelsInstalled installed)
    {
        _awaitingModels = false;
        Release();
    }

    private void Release()
    {
        _holding = false;
        Stash.UnstashAll();
    }

    /// <summary>Redeliveries and events whose time the guard refuses, taken out of a batch; the indices of the rest.</summary>
    private Screened Screen(ProcessBatch batch)
    {
        var now = _clock.GetUtcNow();
        var times = new BatchTimes(batch.Events.Count, i => batch.Events[i].Event);
        var accepted = new List<int>(batch.Events.Count);
        var sourceTimes = new List<DateTimeOffset>(batch.Events.Count);
        var rejected = new List<RejectedEvent>();
        var duplicates = 0;
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var (e, source) = batch.Events[i];
            if (_dedup.Seen(source, e.EventId))
            {
                duplicates++;
                continue;
            }
            if (_guard.Check(e, source, now, times) is { } reason)
            {
                rejected.Add(new RejectedEvent(i, reason));
                continue;
            }
            _dedup.Remember(source, e.EventId, e.OccurredAt);
            accepted.Add(i);
            sourceTimes.Add(_guard.TimeOf(source)!.Value);
        }
        return new Screened(accepted, sourceTimes, rejected, duplicates);
    }

    /// <summary>
    /// In <see cref="TrainingMode.EachEventDay"/>, a batch reaching a day not trained for waits: first for the
    /// batches in flight (their windows must reach the trainer), then for the training run. The day is that of the
    /// stream's robust time after the batch: a refused line dated next year, or an accepted one a few hours ahead,
    /// must not start a later day's training.
    /// </summary>
    private bool NeedsTraining(Screened batch)
    {
        if (_mode != TrainingMode.EachEventDay || batch.SourceTimes.Count == 0) return false;
        var newest = batch.SourceTimes.Max();
        if (newest == DateTimeOffset.MinValue) return false; // no source has an event time yet
        var day = _days.DayOf(newest);
        if (_trainedForDay == int.MinValue) _trainedForDay = day; // the first day of a run has nothing to learn from
        if (day <= _trainedForDay) return false;
        if (_pending.Count > 0) return true;
        _trainedForDay = day;
        _awaitingModels = true;
        _trainer!.Tell(new TrainThrough(day - 1));
        return true;
    }

    /// <summary>Whether the query's subject was first read at a branch outside its branch's line (not above it, not below it).</summary>
    private bool IsForeign(QueryLogEvent e)
    {
        var origin = _origins.Observe(e.SubjectKey, e.BranchId, e.OccurredAt);
        return origin != e.BranchId && !_chain.Contains(origin) && !_directory.IsWithin(origin, e.BranchId);
    }

    private static void Add(Dictionary<string, List<QueryLogEvent>> parts, string key, QueryLogEvent e)
    {
        if (!parts.TryGetValue(key, out var list)) parts[key] = list = new List<QueryLogEvent>(2);
        list.Add(e);
    }

    private sealed class Pending(IActorRef replyTo, ProcessBatch batch, int parts, List<RejectedEvent> rejected, int duplicates, List<int> accepted)
    {
        /// <summary>The batch's accepted events, in batch order, for the suspension desk.</summary>
        public IEnumerable<QueryLogEvent> Accepted() => accepted.Select(i => batch.Events[i].Event);

        private readonly PartDone?[] _parts = new PartDone?[parts];

        public IActorRef ReplyTo => replyTo;
        public int Remaining { get; private set; } = parts;

        public bool Complete(PartDone done)
        {
            if (_parts[done.Part] is not null) return false;
            _parts[done.Part] = done;
            return --Remaining == 0;
        }

        public (BatchProcessed Result, List<ClosedWindow> Windows) Result()
        {
            var alerts = new List<Alert>();
            var commands = new List<PermissionCommand>();
            var windows = new List<ClosedWindow>();
            foreach (var p in _parts)
            {
                alerts.AddRange(p!.Alerts);
                commands.AddRange(p.Commands);
                windows.AddRange(p.Windows);
                foreach (var (eventId, reason) in p.Failed)
                {
                    var index = IndexOf(eventId);
                    if (index >= 0 && !rejected.Exists(r => r.Index == index)) rejected.Add(new RejectedEvent(index, reason));
                }
            }
            rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
            var refused = rejected.Select(r => r.Index).ToHashSet();
            return (new BatchProcessed(batch.BatchId, alerts, commands, rejected, duplicates) { Accepted = [.. accepted.Where(i => !refused.Contains(i))] }, windows);
        }

        private int IndexOf(string eventId)
        {
            for (var i = 0; i < batch.Events.Count; i++)
                if (batch.Events[i].Event.EventId == eventId) return i;
            return -1;
        }
    }
}

/// <summary>
/// A batch after the guard: the indices of its accepted events with their source's event time right after each,
/// the refused ones with why, and the redeliveries.
/// </summary>
internal sealed record Screened(List<int> Accepted, List<DateTimeOffset> SourceTimes, List<RejectedEvent> Rejected, int Duplicates);

/// <summary>The regions the coordinator splits batches over, one per kind of entity.</summary>
public sealed record DetectionRegions(IActorRef Users, IActorRef Branches, IActorRef Employees, IActorRef Subjects);
