using Akka.Actor;
using Akka.Event;
using Monitor.Actors.State;
using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Suspension;
using Monitor.Detectors.Pipeline;
using Monitor.Messages;
using Monitor.Models;

namespace Monitor.Actors;

/// <summary>
/// The entry of the detection graph: has each batch screened and split by the <see cref="BatchPlanner"/> (the one
/// routing the detector tests use too), sends the parts through the regions, and answers once every share is
/// judged, with the outputs in a deterministic order and the suspensions the <see cref="SuspensionDesk"/> decides.
/// Several batches may be in flight. A batch goes out in segments cut where event time closes a day, so the
/// outputs do not depend on where batches happen to end (a restart moves them). It passes closed windows to the
/// model trainer, and in <see cref="TrainingMode.EachEventDay"/> holds a batch at the first event of a new day
/// until the models are retrained. Settings reloads and newly trained models reach it as messages
/// (<see cref="UseSettings"/>, <see cref="ModelsInstalled"/>); it passes them to the regions between two
/// segments, and holds the first batch until the trainer has said which models are in force.
/// </summary>
public sealed class DetectionCoordinator : ReceiveActor, IWithUnboundedStash, IWithTimers
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
    private bool _starting;
    private PeerModelSet? _models;
    private SuspensionSettings _suspension;
    private bool _holding;
    private (long BatchId, int From, int Day)? _held;
    private readonly TimeSpan? _answerDeadline;
    private DateTimeOffset _lastProgress;

    public DetectionCoordinator(DetectionSettings settings, TimeProvider clock, DetectionRegions regions, IActorRef? trainer = null, TrainingMode mode = TrainingMode.Off, byte[]? restored = null,
        TimeSpan? answerDeadline = null)
    {
        _answerDeadline = answerDeadline;
        _clock = clock;
        _regions = regions;
        _trainer = trainer;
        _starting = trainer is not null;
        _mode = trainer is null ? TrainingMode.Off : mode;
        _planner = new BatchPlanner(settings);
        _suspension = settings.Suspension;
        _desk = new SuspensionDesk(() => _suspension);
        Receive<ProcessBatch>(Handle);
        Receive<PartDone>(Handle);
        Receive<ModelsInstalled>(Handle);
        Receive<UseSettings>(Handle);
        Receive<ReopenBranch>(r => _desk.Reopen(r.BranchId));
        Receive<CheckAnswers>(_ => CheckAnswersCame());
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

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The coordinator's props. <paramref name="answerDeadline"/>, in cluster mode (entities on other nodes): how long the
    /// batches in flight may go without any entity's answer before they fail as lost
    /// (<see cref="Sharding.EntityStateLostException"/>) and the leading node begins a new term. Akka.Cluster.Sharding
    /// delivers at most once: a message dropped while its shard moves would otherwise hold the batch until the
    /// ingest's timeout. Null on one node, where nothing is dropped.
    /// </summary>
    public static Props Props(DetectionSettings settings, TimeProvider clock, DetectionRegions regions, IActorRef? trainer = null, TrainingMode mode = TrainingMode.Off, byte[]? restored = null,
        TimeSpan? answerDeadline = null) =>
        Akka.Actor.Props.Create(() => new DetectionCoordinator(settings, clock, regions, trainer, mode, restored, answerDeadline));

    protected override void PreStart()
    {
        _trainer?.Tell(ModelsWanted.Instance);
        if (_answerDeadline is { } deadline) Timers.StartPeriodicTimer("answers", CheckAnswers.Instance, deadline / 4);
    }

    /// <summary>
    /// Cluster mode: parts sent and unanswered with no answer at all for longer than the deadline (a message dropped
    /// while a shard moved, or an entity on a node that is gone): every batch in flight fails as lost, and the term ends.
    /// </summary>
    private void CheckAnswersCame()
    {
        if (_answerDeadline is not { } deadline || !_pending.Values.Any(p => p.Remaining > 0)) return;
        var silent = _clock.GetUtcNow() - _lastProgress;
        if (silent < deadline) return;
        var unanswered = _pending.Values.Sum(p => p.Remaining);
        foreach (var (batchId, pending) in _pending)
            pending.ReplyTo.Tell(new Status.Failure(new Sharding.EntityStateLostException(
                $"batch {batchId}: {unanswered} parts sent to entities had no answer for {silent.TotalSeconds:0} s (a message lost while a shard moved, or a node gone)")));
        _pending.Clear();
    }

    /// <summary>A reload: the suspension desk decides under the new settings from the next batch on, every entity from its next share on.</summary>
    private void Handle(UseSettings use)
    {
        _suspension = use.Settings.Settings.Suspension;
        _planner.UseCalendar(use.Settings.Calendar); // declared peak days apply from the next day opened
        _regions.Tell(use);
        _trainer?.Tell(use);
    }

    private void Handle(ProcessBatch batch)
    {
        // Screened once, on arrival and in arrival order, before anything else reads the events' times: a batch
        // held for training is judged on the events that will really be processed, and an absurd timestamp never
        // reaches the day arithmetic.
        if (!_screened.TryGetValue(batch.BatchId, out var screened)) _screened[batch.BatchId] = screened = Screen(batch);
        if (_holding || _starting)
        {
            Stash.Stash(); // later batches wait behind the one held for training, in order
            return;
        }
        _screened.Remove(batch.BatchId);
        _pending[batch.BatchId] = new Pending(Sender, batch, screened);
        Continue(batch.BatchId, 0);
    }

    /// <summary>
    /// Sends a batch's segments (<see cref="BatchPlanner.Plan"/>) from accepted event <paramref name="from"/> on, in
    /// order: an entity gets a day's end right after the event that closed it. A segment that reaches a day the
    /// models are not trained for stops the batch there until they are (<see cref="TrainWhenQuiet"/>).
    /// </summary>
    private void Continue(long batchId, int from)
    {
        _lastProgress = _clock.GetUtcNow();
        var pending = _pending[batchId];
        var (batch, screened) = (pending.Batch, pending.Screened);
        do
        {
            var plan = _planner.Plan(i => (batch.Events[i].Event, batch.Events[i].Source), screened, from, TrainedThrough(screened, from));
            var end = plan.Ended?.ToClose();
            foreach (var (user, events) in plan.Users)
                _regions.Users.Tell(new UserEvents(batchId, pending.NewPart(), user, events) { End = plan.EndForUser(user) is null ? null : end });
            foreach (var (branch, events) in plan.Branches)
                _regions.Branches.Tell(new BranchEvents(batchId, pending.NewPart(), branch, events) { End = plan.EndForBranch(branch) is null ? null : end });
            foreach (var (employee, events) in plan.Employees)
                _regions.Employees.Tell(new EmployeeEvents(batchId, pending.NewPart(), employee, events) { End = plan.EndForEmployee(employee) is null ? null : end });
            foreach (var (share, events) in plan.Subjects) _regions.Subjects.Tell(new SubjectEvents(batchId, pending.NewPart(), share, events));
            from = plan.Next;
            if (plan.Reaches is { } day)
            {
                _holding = true;
                _held = (batchId, from, day);
                TrainWhenQuiet();
                return;
            }
        }
        while (from < screened.Accepted.Count);
        pending.Dispatched = true;
        FinishInOrder();
    }

    /// <summary>
    /// Finishes every judged batch whose earlier batches are finished, in batch order: the suspension desk decides
    /// batches in the order they were read, whichever batch's entities answered first, so a replay's commands and a
    /// live run's are the same every time (the desk's memory of suspensions and repeats follows the stream).
    /// </summary>
    private void FinishInOrder()
    {
        while (_pending.Count > 0)
        {
            var first = _pending.Keys.Min();
            var pending = _pending[first];
            if (pending.Remaining != 0 || !pending.Dispatched) return;
            Finish(first, pending);
        }
    }

    /// <summary>
    /// In <see cref="TrainingMode.EachEventDay"/>, the last day the models are trained through (the first day a run
    /// sees has nothing to learn from); otherwise no limit.
    /// </summary>
    private int TrainedThrough(ScreenedBatch screened, int from)
    {
        if (_mode != TrainingMode.EachEventDay) return int.MaxValue;
        if (_trainedForDay == int.MinValue)
        {
            var first = screened.SourceTimes.Skip(from).FirstOrDefault(t => t != DateTimeOffset.MinValue);
            if (first == default) return int.MaxValue; // no source has an event time yet
            _trainedForDay = _planner.DayOf(first);
        }
        return _trainedForDay;
    }

    /// <summary>
    /// A batch held at a new day: once every part sent before is judged (their windows must reach the trainer),
    /// the models are retrained through the day before; the batch goes on when they are installed.
    /// </summary>
    private void TrainWhenQuiet()
    {
        if (_held is not { } held || _awaitingModels || _pending.Values.Any(p => p.Remaining > 0)) return;
        _trainedForDay = held.Day;
        _awaitingModels = true;
        var windows = _pending[held.BatchId].TakeWindows();
        if (windows.Count > 0) _trainer!.Tell(new TrainingWindows(windows));
        _trainer!.Tell(new TrainThrough(held.Day - 1));
    }

    private void Handle(PartDone done)
    {
        if (done.Lost && _pending.Remove(done.BatchId, out var lost))
        {
            // An entity on another node lost this term's state: no output of this batch can be trusted; the term ends.
            lost.ReplyTo.Tell(new Status.Failure(new Sharding.EntityStateLostException(
                $"batch {done.BatchId}: an entity on another node no longer holds its state of this term (its shard moved or its node stopped)")));
            return;
        }
        if (!_pending.TryGetValue(done.BatchId, out var pending) || !pending.Complete(done)) return;
        _lastProgress = _clock.GetUtcNow();
        FinishInOrder();
        TrainWhenQuiet();
    }

    /// <summary>Every part of the batch is judged: the suspension desk decides, the windows go to the trainer, the sender gets the outputs.</summary>
    private void Finish(long batchId, Pending pending)
    {
        _pending.Remove(batchId);
        var result = pending.Result();
        var decided = _desk.Decide(pending.Accepted(), result.Alerts); // account events reach the desk even without alerts
        result = result with { Commands = decided.Commands, Alerts = decided.Alerts, Shut = decided.NewlyShut };
        var windows = pending.TakeWindows();
        if (_trainer is not null && windows.Count > 0) _trainer.Tell(new TrainingWindows(windows));
        pending.ReplyTo.Tell(result);
    }

    private void Handle(ModelsInstalled installed)
    {
        if (!ReferenceEquals(installed.Models, _models))
        {
            _models = installed.Models;
            _regions.Tell(new UseModels(installed.Models));
        }
        if (_starting)
        {
            _starting = false;
            Stash.UnstashAll();
            return;
        }
        _awaitingModels = false;
        _holding = false;
        if (_held is { } held)
        {
            _held = null;
            Continue(held.BatchId, held.From);
        }
        if (!_holding) Stash.UnstashAll();
    }

    private sealed class CheckAnswers
    {
        public static readonly CheckAnswers Instance = new();
    }

    /// <summary>Redeliveries and events whose time the guard refuses, taken out of a batch by the planner.</summary>
    private ScreenedBatch Screen(ProcessBatch batch) =>
        _planner.Screen(batch.Events.Count, i => (batch.Events[i].Event, batch.Events[i].Source), _clock.GetUtcNow());

    /// <summary>One batch being judged: its parts over all its segments, as they are sent and answered.</summary>
    private sealed class Pending(IActorRef replyTo, ProcessBatch batch, ScreenedBatch screened)
    {
        private readonly List<PartDone?> _parts = [];
        private readonly List<RejectedEvent> _rejected = screened.Rejected.ConvertAll(r => new RejectedEvent(r.Index, r.Reason));
        private int _windowsTaken;

        public IActorRef ReplyTo => replyTo;
        public ProcessBatch Batch => batch;
        public ScreenedBatch Screened => screened;

        /// <summary>Parts sent and not yet answered.</summary>
        public int Remaining { get; private set; }

        /// <summary>Whether every segment has been sent (a batch held for training has not).</summary>
        public bool Dispatched { get; set; }

        /// <summary>The batch's accepted events, in batch order, for the suspension desk.</summary>
        public IEnumerable<QueryLogEvent> Accepted() => screened.Accepted.Select(i => batch.Events[i].Event);

        /// <summary>Numbers a part about to be sent.</summary>
        public int NewPart()
        {
            _parts.Add(null);
            Remaining++;
            return _parts.Count - 1;
        }

        /// <summary>Records an answer; false for one already had.</summary>
        public bool Complete(PartDone done)
        {
            if (done.Part >= _parts.Count || _parts[done.Part] is not null) return false;
            _parts[done.Part] = done;
            Remaining--;
            return true;
        }

        /// <summary>The closed windows of the parts answered since the last call, in part order (call only when every part sent so far is answered).</summary>
        public List<ClosedWindow> TakeWindows()
        {
            var windows = new List<ClosedWindow>();
            for (; _windowsTaken < _parts.Count; _windowsTaken++) windows.AddRange(_parts[_windowsTaken]!.Windows);
            return windows;
        }

        public BatchProcessed Result()
        {
            var alerts = new List<Alert>();
            var commands = new List<PermissionCommand>();
            var days = new List<UserDay>();
            foreach (var p in _parts)
            {
                alerts.AddRange(p!.Alerts);
                commands.AddRange(p.Commands);
                days.AddRange(p.Days);
                foreach (var (eventId, reason) in p.Failed)
                {
                    var index = IndexOf(eventId);
                    if (index >= 0 && !_rejected.Exists(r => r.Index == index)) _rejected.Add(new RejectedEvent(index, reason));
                }
            }
            _rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
            var refused = _rejected.Select(r => r.Index).ToHashSet();
            return new BatchProcessed(batch.BatchId, alerts, commands, _rejected, screened.Duplicates) { Accepted = [.. screened.Accepted.Where(i => !refused.Contains(i))], Days = days };
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
public sealed record DetectionRegions(IActorRef Users, IActorRef Branches, IActorRef Employees, IActorRef Subjects)
{
    /// <summary>Tells every region (settings and models for all entities).</summary>
    public void Tell(object message)
    {
        Users.Tell(message);
        Branches.Tell(message);
        Employees.Tell(message);
        Subjects.Tell(message);
    }
}
