using Monitor.Contracts;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// The event times of one batch, sorted, with their users: what the <see cref="EventTimeGuard"/> asks when an
/// event is far ahead of the stream (do other users' events of this batch stand near it?) and the batch's median
/// time, a floor for the stream's time that a few outliers cannot move.
/// </summary>
public sealed class BatchTimes
{
    private readonly int _count;
    private readonly Func<int, QueryLogEvent> _at;
    private DateTimeOffset[]? _times;
    private string[] _users = [];
    private DateTimeOffset? _median;

    /// <summary>The times of <paramref name="count"/> events read through <paramref name="at"/>; sorted on first use only (most batches never need it).</summary>
    public BatchTimes(int count, Func<int, QueryLogEvent> at)
    {
        _count = count;
        _at = at;
    }

    public static BatchTimes Of(IReadOnlyList<QueryLogEvent> events) => new(events.Count, i => events[i]);

    public static BatchTimes Empty { get; } = new(0, _ => throw new IndexOutOfRangeException());

    /// <summary>The median event time of the batch, null when it is empty.</summary>
    public DateTimeOffset? Median
    {
        get
        {
            Build();
            return _median;
        }
    }

    /// <summary>Distinct users other than <paramref name="user"/> with an event within <paramref name="within"/> of <paramref name="t"/>, added to <paramref name="seen"/> up to <paramref name="enough"/>.</summary>
    public int OthersNear(DateTimeOffset t, TimeSpan within, string user, int enough, HashSet<string> seen)
    {
        var times = Build();
        var i = Array.BinarySearch(times, t - within);
        if (i < 0) i = ~i;
        while (i > 0 && times[i - 1] >= t - within) i--;
        for (; i < times.Length && times[i] <= t + within && seen.Count < enough; i++)
            if (!string.Equals(_users[i], user, StringComparison.Ordinal)) seen.Add(_users[i]);
        return seen.Count;
    }

    private DateTimeOffset[] Build()
    {
        if (_times is not null) return _times;
        var times = new DateTimeOffset[_count];
        _users = new string[_count];
        for (var i = 0; i < _count; i++)
        {
            var e = _at(i);
            times[i] = e.OccurredAt;
            _users[i] = e.UserId;
        }
        Array.Sort(times, _users);
        _median = _count == 0 ? null : times[_count / 2];
        return _times = times;
    }
}
