using Monitor.Contracts;

namespace Monitor.Api;

/// <summary>
/// The last events of each user, in memory, for the timeline an officer opens on an alert. Bounded on both
/// sides (events per user, users kept, the oldest user forgotten first); the query log itself stays the record.
/// </summary>
public sealed class RecentEvents(int perUser = 50, int maxUsers = 100_000)
{
    private readonly Dictionary<string, Queue<QueryLogEvent>> _byUser = new(StringComparer.Ordinal);
    private readonly Queue<string> _arrival = new();
    private readonly Lock _lock = new();

    public void Add(IReadOnlyList<QueryLogEvent> events)
    {
        if (events.Count == 0) return;
        lock (_lock)
        {
            foreach (var e in events)
            {
                if (!_byUser.TryGetValue(e.UserId, out var q))
                {
                    if (_byUser.Count >= maxUsers) _byUser.Remove(_arrival.Dequeue());
                    _byUser[e.UserId] = q = new Queue<QueryLogEvent>();
                    _arrival.Enqueue(e.UserId);
                }
                q.Enqueue(e);
                if (q.Count > perUser) q.Dequeue();
            }
        }
    }

    /// <summary>The user's recent events, newest first.</summary>
    public List<QueryLogEvent> Of(string userId)
    {
        lock (_lock)
        {
            return _byUser.TryGetValue(userId, out var q) ? [.. q.OrderByDescending(e => e.OccurredAt)] : [];
        }
    }
}
