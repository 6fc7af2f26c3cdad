using Monitor.Contracts.State;
namespace Monitor.Detectors.Rules;

/// <summary>
/// LOGIN_FAILURES: failed logins on one account or one terminal inside a sliding window. Only failures
/// inside the window are kept; a success on the account clears its run.
/// </summary>
public sealed class FailureWindow : IDurableState
{
    private readonly Queue<(DateTimeOffset At, string UserId)> _failures = new();

    /// <summary>Adds a failure; returns the failures in the window (with the distinct accounts among them).</summary>
    public (int Failures, int Accounts) Add(DateTimeOffset at, string userId, TimeSpan window)
    {
        Expire(at, window);
        _failures.Enqueue((at, userId));
        if (_failures.Count > 256) _failures.Dequeue();
        return (_failures.Count, _failures.Select(f => f.UserId).Distinct(StringComparer.Ordinal).Count());
    }

    public void Clear() => _failures.Clear();

    public bool IsStale(DateTimeOffset now, TimeSpan window) => _failures.Count == 0 || now - _failures.Last().At > window;

    private void Expire(DateTimeOffset now, TimeSpan window)
    {
        while (_failures.Count > 0 && now - _failures.Peek().At > window) _failures.Dequeue();
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(FailureWindow));
        w.Write(_failures, static (w, f) =>
        {
            w.Write(f.At);
            w.Write(f.UserId);
        });
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(FailureWindow));
        _failures.Clear();
        foreach (var f in r.ReadList(static r => (r.ReadTime(), r.ReadString()))) _failures.Enqueue(f);
    }
}
