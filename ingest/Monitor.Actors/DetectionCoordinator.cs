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
/// The entry of the detection graph: has each batch screened and split by the <see cref="BatchPlanner"/> (the one
/// routing the detector tests use too), sends the parts through the regions, and answers once every share is
/// judged, with the outputs in a deterministic order and the suspensions the <see cref="SuspensionDesk"/> decides.
/// Several batches may be in flight. It passes closed windows to the model trainer, and in
/// <see cref="TrainingMode.EachEventDay"/> holds a new day's batches until the models are retrained.
/// </summary>
public sealed class DetectionCoordinator : ReceiveActor, IWithUnboundedStash
{
    private readonly TimeProvider _clock;
    /// <summary>Subjects are spread over this many actors; a subject always lands in the same one.</summary>
    public const int SubjectShares = BatchPlanner.SubjectShares;

    private readonly DetectionRegions _regions;
    private readonly BatchPlanner _planner;
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Dictionary<long, ScreenedBatch> _screened = [];
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
        _planner = new BatchPlanner(context.Settings);
        _desk = new SuspensionDesk(() => context.Settings.Suspension);
        Receive<ProcessBatch>(Handle);
        Receive<PartDone>(Handle);
        Receive<ModelsInstalled>(Handle);
        Receive<ReopenBranch>(r => _desk.Reopen(r.BranchId));
        Receive<BranchesShut>(s => _desk.Shut(s.BranchIds));
        Receive<GetState>(_ => Sender.Tell(new StateBytes(SaveState())));
        Receive<SeedBranches>(s =>
        {
            foreach (var (branch, parent) in s.Branches) _planner.LearnBranch(branch, parent); // what the events showed first stays
            Sender.Tell(new AccountsSeeded(s.Branches.Count));
        });
        if (restored is not null) RestoreState(restored);
    }

    /// <summary>Everything the coordinator remembers between batches (checkpoints are taken between batches, so nothing is in flight).</summary>
    private byte[] SaveState()
    {
        using var w = new StateWriter();
        w.Section("DetectionCoordinator");
        _planner.Save(w);
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
            _planner.Restore(r);
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
        var plan = _planner.Plan(i => (batch.Events[i].Event, batch.Events[i].Source), screened);
        var rejected = screened.Rejected.ConvertAll(r => new RejectedEvent(r.Index, r.Reason));
        var ended = plan.Ended;
        var end = ended is null ? null : new DayEnd(ended.Day, ended.At);
        var pending = new Pending(Sender, batch, plan.Parts, rejected, screened.Duplicates, screened.Accepted);
        if (pending.Remaining == 0)
        {
            var (none, _) = pending.Result();
            _desk.Decide(pending.Accepted(), []); // account events still reach the desk
            Sender.Tell(none);
            return;
        }
        _pending[batch.BatchId] = pending;
        var part = 0;
        foreach (var (user, events) in plan.Users)
            _regions.Users.Tell(new UserEvents(batch.BatchId, part++, user, events) { End = plan.EndForUser(user) is null ? null : end });
        foreach (var (branch, events) in plan.Branches)
            _regions.Branches.Tell(new BranchEvents(batch.BatchId, part++, branch, events) { End = plan.EndForBranch(branch) is null ? null : end });
        foreach (var (employee, events) in plan.Employees) _regions.Employees.Tell(new EmployeeEvents(batch.BatchId, part++, employee, events));
        foreach (var (share, events) in plan.Subjects) _regions.Subjects.Tell(new SubjectEvents(batch.BatchId, part++, share, events));
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

    /// <summary>Redeliveries and events whose time the guard refuses, taken out of a batch by the planner.</summary>
    private ScreenedBatch Screen(ProcessBatch batch) =>
        _planner.Screen(batch.Events.Count, i => (batch.Events[i].Event, batch.Events[i].Source), _clock.GetUtcNow());

    /// <summary>
    /// In <see cref="TrainingMode.EachEventDay"/>, a batch reaching a day not trained for waits: first for the
    /// batches in flight (their windows must reach the trainer), then for the training run. The day is that of the
    /// stream's robust time after the batch: a refused line dated next year, or an accepted one a few hours ahead,
    /// must not start a later day's training.
    /// </summary>
    private bool NeedsTraining(ScreenedBatch batch)
    {
        if (_mode != TrainingMode.EachEventDay || batch.SourceTimes.Count == 0) return false;
        var newest = batch.SourceTimes.Max();
        if (newest == DateTimeOffset.MinValue) return false; // no source has an event time yet
        var day = _planner.DayOf(newest);
        if (_trainedForDay == int.MinValue) _trainedForDay = day; // the first day of a run has nothing to learn from
        if (day <= _trainedForDay) return false;
        if (_pending.Count > 0) return true;
        _trainedForDay = day;
        _awaitingModels = true;
        _trainer!.Tell(new TrainThrough(day - 1));
        return true;
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

/// <summary>The regions the coordinator splits batches over, one per kind of entity.</summary>
public sealed record DetectionRegions(IActorRef Users, IActorRef Branches, IActorRef Employees, IActorRef Subjects);
