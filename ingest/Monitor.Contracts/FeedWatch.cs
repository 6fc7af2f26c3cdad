namespace Monitor.Contracts;

/// <summary>
/// Whether the two optional feeds (the approval register, the HR feed) have delivered anything since the monitor
/// started, for <c>GET /ready</c>: a bank may have neither, and then their rules stay silent rather than flood, which
/// an operator must be able to see. A missing feed does not make the monitor unready. Safe to use from any thread.
/// </summary>
public sealed class FeedWatch(DateTimeOffset since)
{
    private long _register = long.MinValue;
    private long _employee = long.MinValue;

    /// <summary>Notes an accepted event of one of the feeds (its event time).</summary>
    public void Observe(QueryLogEvent e)
    {
        switch (e.Type)
        {
            case EventType.Register:
                Later(ref _register, e.OccurredAt.UtcTicks);
                break;
            case EventType.Employee:
                Later(ref _employee, e.OccurredAt.UtcTicks);
                break;
        }
    }

    /// <summary>Each feed's state ("present" with its latest event time, or "missing") and what that means for its rules.</summary>
    public IReadOnlyDictionary<string, FeedState> States => StatesIn(TimeZoneInfo.Utc);

    /// <summary><see cref="States"/> with its times (the note's too) in <paramref name="zone"/>, the bank's.</summary>
    public IReadOnlyDictionary<string, FeedState> StatesIn(TimeZoneInfo zone) => new Dictionary<string, FeedState>
    {
        ["register"] = State(Interlocked.Read(ref _register), "approval-register entry", "REGISTER_MISMATCH", zone),
        ["employee"] = State(Interlocked.Read(ref _employee), "HR event", "LEAVER_ACCOUNT", zone),
    };

    private FeedState State(long ticks, string what, string rule, TimeZoneInfo zone) => ticks == long.MinValue
        ? new FeedState("missing", null, $"no {what} since the monitor started at {EventJson.FormatTime(TimeZoneInfo.ConvertTime(since, zone))}; {rule} stays silent without it")
        : new FeedState("present", TimeZoneInfo.ConvertTime(new DateTimeOffset(ticks, TimeSpan.Zero), zone), null);

    private static void Later(ref long field, long ticks)
    {
        for (var seen = Interlocked.Read(ref field); ticks > seen; seen = Interlocked.Read(ref field))
            if (Interlocked.CompareExchange(ref field, ticks, seen) == seen) return;
    }
}

/// <summary>One feed on <c>/ready</c>: present (with its latest event time) or missing (with why it matters).</summary>
public sealed record FeedState(
    [property: System.Text.Json.Serialization.JsonPropertyName("state")] string State,
    [property: System.Text.Json.Serialization.JsonPropertyName("lastEventTime")] DateTimeOffset? LastEventTime,
    [property: System.Text.Json.Serialization.JsonPropertyName("note")] string? Note);
