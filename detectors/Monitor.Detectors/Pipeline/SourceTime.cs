namespace Monitor.Detectors.Pipeline;

/// <summary>
/// One source's event time, robust to a few events dated ahead: the newest time that at least
/// <see cref="Users"/> different users have reached among the source's recent accepted events. A lone user's
/// event hours ahead (a terminal with a wrong clock, a forged line) is accepted but does not move it, so the
/// good events that follow are neither late nor closing days early; once other users get there, it moves.
/// </summary>
public sealed class SourceTime
{
    /// <summary>How many different users must have reached a time for it to be the source's event time.</summary>
    public const int Users = 3;

    private const int Recent = 32;
    private readonly List<(DateTimeOffset Time, string User)> _recent = new(Recent + 1); // one entry per user, newest first

    /// <summary>
    /// The source's event time: the <see cref="Users"/>-th newest among its recent users' newest events; none
    /// (<see cref="DateTimeOffset.MinValue"/>) until that many users were seen, so nothing is late before then.
    /// </summary>
    public DateTimeOffset Time { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The newest accepted event of the source, however few stand behind it.</summary>
    public DateTimeOffset Newest => _recent.Count == 0 ? DateTimeOffset.MinValue : _recent[0].Time;

    public void Accept(DateTimeOffset t, string user)
    {
        var at = _recent.FindIndex(r => string.Equals(r.User, user, StringComparison.Ordinal));
        if (at >= 0)
        {
            if (t <= _recent[at].Time) return;
            _recent.RemoveAt(at);
        }
        else if (_recent.Count == Recent && t <= _recent[^1].Time) return; // older than every recent user: changes nothing
        var i = 0;
        while (i < _recent.Count && _recent[i].Time > t) i++;
        _recent.Insert(i, (t, user));
        if (_recent.Count > Recent) _recent.RemoveAt(Recent);
        if (_recent.Count < Users) return; // one or two users cannot set a source's time: the first event of a run may be the bad one
        var candidate = _recent[Users - 1].Time;
        if (candidate > Time) Time = candidate;
    }
}
