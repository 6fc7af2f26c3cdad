namespace Monitor.Hosting.Cluster;

/// <summary>
/// Whether this node leads the pipeline (consumes the query log, owns the detection graph and its checkpoints): one
/// node of the cluster at a time, the one that holds the <see cref="PipelineLease"/> singleton. The node waits for
/// the lead, runs its pipeline until the lease goes, and says when its pipeline has stopped: a graceful hand-over
/// lets the next node begin only after that (its checkpoint is then the last word).
/// </summary>
public sealed class Leadership
{
    private readonly object _gate = new();
    private TaskCompletionSource _gained = New();
    private CancellationTokenSource _lost = new();
    private TaskCompletionSource _stopped = New();
    private Action<string>? _reopen;
    private Func<string, Task<bool>>? _leaving;

    /// <summary>Completes when this node holds the lease (at once if it holds it now).</summary>
    public Task Gained
    {
        get
        {
            lock (_gate) return _gained.Task;
        }
    }

    /// <summary>Cancelled when this node loses the lease it holds now: its pipeline must stop.</summary>
    public CancellationToken Lost
    {
        get
        {
            lock (_gate) return _lost.Token;
        }
    }

    /// <summary>The lease came to this node (the singleton started here).</summary>
    internal void Gain()
    {
        lock (_gate) _gained.TrySetResult();
    }

    /// <summary>The lease is going: the pipeline is told to stop; completes when it has (see <see cref="Stopped"/>).</summary>
    internal Task Release()
    {
        lock (_gate)
        {
            if (!_gained.Task.IsCompleted) return Task.CompletedTask; // nothing runs here
            _lost.Cancel();
            return _stopped.Task;
        }
    }

    /// <summary>
    /// A term begins on this node (the first after the lease came, or the next after a term ended while the node still
    /// leads): a hand-over from now on waits for its pipeline. False when the lease has gone meanwhile.
    /// </summary>
    public bool Begin()
    {
        lock (_gate)
        {
            if (_lost.IsCancellationRequested) return false;
            if (_stopped.Task.IsCompleted) _stopped = New();
            return true;
        }
    }

    /// <summary>This node's pipeline has stopped (after <see cref="Lost"/>, or on its own); the node may lead again later.</summary>
    public void Stopped()
    {
        lock (_gate)
        {
            _stopped.TrySetResult();
            (_reopen, _leaving) = (null, null);
            if (!_lost.IsCancellationRequested) return; // still holding the lease: a stop of the whole node follows
            (_gained, _lost, _stopped) = (New(), new CancellationTokenSource(), New());
        }
    }

    /// <summary>Where an officer's reopening of a branch goes while this node's pipeline runs; null clears it.</summary>
    public void Serve(Action<string>? reopen)
    {
        lock (_gate) _reopen = reopen;
    }

    /// <summary>
    /// What the pipeline running here does when a member is about to leave (<see cref="LeaveRequest"/>): a checkpoint,
    /// then the batches held until the member's entities have moved. Null clears it.
    /// </summary>
    public void ServeLeaves(Func<string, Task<bool>>? leaving)
    {
        lock (_gate) _leaving = leaving;
    }

    /// <summary>A member is about to leave: true once the pipeline here has committed a checkpoint and holds; false when none runs here.</summary>
    internal Task<bool> Leaving(string member)
    {
        Func<string, Task<bool>>? leaving;
        lock (_gate) leaving = _leaving;
        return leaving?.Invoke(member) ?? Task.FromResult(false);
    }

    /// <summary>Reopens a branch in the pipeline running here; false when none runs here (yet).</summary>
    internal bool Reopen(string branchId)
    {
        Action<string>? reopen;
        lock (_gate) reopen = _reopen;
        reopen?.Invoke(branchId);
        return reopen is not null;
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
