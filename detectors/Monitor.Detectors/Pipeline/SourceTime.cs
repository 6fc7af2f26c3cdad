using Monitor.Contracts.State;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// One source's event time, robust to a few events dated ahead: the newest time that at least
/// <see cref="Users"/> different users have reached among the source's recent accepted events. A lone user's
/// event hours ahead (a terminal with a wrong clock, a forged line) is accepted but does not move it, so the
/// good events that follow are neither late nor closing days early; once other users get there, it moves.
/// </summary>
public sealed class SourceTime : IDurableState
{
    /// <summary>How many different users must have reached a time for it to be the source's event time.</summary>
    public const int Users = 3;

    // The Users newest distinct users by their newest event, newest first. The K-th largest of the users' newest
    // times only grows, so these few entries are all that is needed: O(Users) per event.
    private readonly DateTimeOffset[] _times = new DateTimeOffset[Users];
    private readonly string?[] _users = new string?[Users];
    private int _count;

    /// <summary>
    /// The source's event time: the <see cref="Users"/>-th newest among its users' newest events; none
    /// (<see cref="DateTimeOffset.MinValue"/>) until that many users were seen, so nothing is late before then.
    /// </summary>
    public DateTimeOffset Time { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The newest accepted event of the source, however few stand behind it.</summary>
    public DateTimeOffset Newest => _count == 0 ? DateTimeOffset.MinValue : _times[0];

    /// <summary>The few newest users with their times, newest first, and the source's time.</summary>
    public void Save(StateWriter w)
    {
        w.Write(_count);
        for (var i = 0; i < _count; i++)
        {
            w.Write(_times[i]);
            w.Write(_users[i]!);
        }
        w.Write(Time);
    }

    public void Restore(StateReader r)
    {
        var count = r.ReadInt();
        if (count is < 0 or > Users) throw new StateFormatException($"a source time of {count} users cannot be right");
        Array.Clear(_times);
        Array.Clear(_users);
        _count = count;
        for (var i = 0; i < count; i++)
        {
            _times[i] = r.ReadTime();
            _users[i] = r.ReadString();
        }
        Time = r.ReadTime();
    }

    public void Accept(DateTimeOffset t, string user)
    {
        var at = Array.FindIndex(_users, 0, _count, u => string.Equals(u, user, StringComparison.Ordinal));
        if (at >= 0)
        {
            if (t <= _times[at]) return;
        }
        else if (_count < Users) at = _count++;
        else if (t > _times[Users - 1]) at = Users - 1; // the oldest of the few gives way
        else return; // older than the few: changes nothing
        _times[at] = t;
        _users[at] = user;
        while (at > 0 && _times[at - 1] < _times[at])
        {
            (_times[at - 1], _times[at]) = (_times[at], _times[at - 1]);
            (_users[at - 1], _users[at]) = (_users[at], _users[at - 1]);
            at--;
        }
        if (_count == Users && _times[Users - 1] > Time) Time = _times[Users - 1];
    }
}
