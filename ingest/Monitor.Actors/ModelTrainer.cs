using Akka.Actor;
using Akka.Event;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Behaviour;
using Monitor.Actors.State;
using Monitor.Messages;
using Monitor.Models;

namespace Monitor.Actors;

/// <summary>
/// Owns the training set of closed day windows and retrains the peer models off the detection path: a run
/// works on a snapshot on its own below-normal-priority thread (one core at most, so detection keeps the
/// other), then the new set is saved, versioned, and sent to the coordinator (<see cref="ModelsInstalled"/>),
/// which passes it to every entity. In <see cref="TrainingMode.Background"/> it retrains on a
/// <see cref="TimeProvider"/> timer; otherwise when the coordinator asks (<see cref="TrainThrough"/>). Settings
/// reach it as messages (<see cref="UseSettings"/>).
/// </summary>
public sealed class ModelTrainer : ReceiveActor
{
    private BehaviourSettings _settings;
    private PeerModelSet _models = PeerModelSet.Empty;
    private (PeerModelSet? For, string Json) _modelsJson = (null, "");
    private IActorRef? _coordinator;
    private readonly ModelTraining _training;
    private readonly TimeProvider _clock;
    private readonly TrainingSet _set;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ITimer? _timer;
    private bool _running;
    private int _runs;

    private readonly byte[]? _restored;

    public ModelTrainer(BehaviourSettings settings, ModelTraining training, TimeProvider clock, byte[]? restored = null)
    {
        _restored = restored;
        _settings = settings;
        _training = training;
        _clock = clock;
        _set = new TrainingSet(settings.TrainingDays);
        Receive<TrainingWindows>(Handle);
        Receive<TrainThrough>(Handle);
        Receive<Retrain>(_ => Handle());
        Receive<Trained>(Handle);
        Receive<GetState>(_ =>
        {
            // The models change only when a run installs others: their JSON is made once, not at every checkpoint.
            if (!ReferenceEquals(_modelsJson.For, _models)) _modelsJson = (_models, TrainerState.Json(_models));
            Sender.Tell(new StateBytes(TrainerState.Save(_set, _modelsJson.Json)));
        });
        Receive<UseSettings>(u => _settings = u.Settings.Settings.Behaviour); // the next run trains with them
        Receive<ModelsWanted>(_ =>
        {
            _coordinator = Sender;
            Sender.Tell(new ModelsInstalled(_models));
        });
    }

    public static Props Props(BehaviourSettings settings, ModelTraining training, TimeProvider clock, byte[]? restored = null) =>
        Akka.Actor.Props.Create(() => new ModelTrainer(settings, training, clock, restored));

    protected override void PreStart()
    {
        if (_restored is not null && TrainerState.Restore(_restored, _set, _log) is { } models)
        {
            // The models in force at the checkpoint, not the newest file: the events after it are judged as before.
            _models = models;
        }
        else if (_training.Store?.LoadLatest() is { } saved)
        {
            _models = saved;
            _log.Info("loaded peer models {0} ({1} groups) from {2}", saved.Version, saved.Models.Count, _training.Store.Directory);
        }
        if (_training.Mode == TrainingMode.Background)
        {
            var every = TimeSpan.FromMinutes(_settings.RetrainMinutes);
            var self = Self;
            _timer = _clock.CreateTimer(_ => self.Tell(Retrain.Instance), null, every, every);
        }
    }

    protected override void PostStop() => _timer?.Dispose();

    private void Handle(TrainingWindows msg)
    {
        foreach (var w in msg.Windows) _set.Add(w);
    }

    private void Handle(TrainThrough msg)
    {
        if (_running || _set.Rows == 0)
        {
            Sender.Tell(new ModelsInstalled(_models));
            return;
        }
        Start(msg.ThroughDay, $"d{DateOnly.FromDayNumber(msg.ThroughDay):yyyyMMdd}", Sender);
    }

    /// <summary>The background schedule: retrain when windows arrived since the last run and none is running.</summary>
    private void Handle()
    {
        if (_running || _set.Added == 0) return;
        Start(int.MaxValue, $"t{_clock.GetUtcNow():yyyyMMddTHHmmss}-{++_runs}", null);
    }

    private void Start(int throughDay, string version, IActorRef? replyTo)
    {
        _running = true;
        var snapshot = _set.Snapshot(throughDay);
        var s = _settings;
        var trainedThrough = Math.Min(throughDay, _set.NewestDay);
        OnOwnThread(() => PeerModelBuilder.Build(version, trainedThrough, BehaviourFeatures.Names, snapshot, s.MinPeerWindows, s.MinPeers, minScale: BehaviourFeatures.MinScale))
            .PipeTo(Self, success: set => new Trained(set, null, replyTo), failure: ex => new Trained(null, ex, replyTo));
    }

    private void Handle(Trained t)
    {
        _running = false;
        if (t.Set is { } set)
        {
            _models = set;
            if (_training.Store is { } store && set.Models.Count > 0) store.Save(set);
            (t.ReplyTo ?? _coordinator)?.Tell(new ModelsInstalled(set));
        }
        else
        {
            _log.Error(t.Error, "peer model training failed; the previous models stay in force");
            t.ReplyTo?.Tell(new ModelsInstalled(_models, t.Error?.Message));
        }
    }

    /// <summary>Runs training on a dedicated background thread below normal priority, so it only ever takes what detection leaves.</summary>
    private static Task<PeerModelSet> OnOwnThread(Func<PeerModelSet> train)
    {
        var done = new TaskCompletionSource<PeerModelSet>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(train());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "peer-model-training" };
        thread.Start();
        return done.Task;
    }

    private sealed class Retrain
    {
        public static readonly Retrain Instance = new();
    }

    private sealed record Trained(PeerModelSet? Set, Exception? Error, IActorRef? ReplyTo);
}
