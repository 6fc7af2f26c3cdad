namespace Monitor.Contracts;

/// <summary>
/// Why the monitor is not ready, as named conditions ("pipeline", "kafka", "store") each with a reason in words.
/// The parts that know set and clear their own condition (the consumer when the brokers do not answer, the
/// ingest while the store refuses a batch); <c>GET /ready</c> answers 503 with the reasons while any is set, so
/// an orchestrator and an operator see the same one-line cause. Safe to use from any thread.
/// </summary>
public sealed class ReadinessState
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, string> _conditions = new(StringComparer.Ordinal);

    /// <summary>The optional feeds (register, HR): shown on <c>/ready</c>, never a reason to be unready.</summary>
    public FeedWatch Feeds { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>True while no condition is set.</summary>
    public bool IsReady
    {
        get { lock (_lock) return _conditions.Count == 0; }
    }

    /// <summary>The conditions in force, by name, with their reasons.</summary>
    public IReadOnlyList<(string Name, string Reason)> Conditions
    {
        get { lock (_lock) return [.. _conditions.Select(c => (c.Key, c.Value))]; }
    }

    /// <summary>The conditions as one line each: "kafka: 127.0.0.1:1 unreachable (Connection refused), retrying".</summary>
    public IReadOnlyList<string> Reasons => [.. Conditions.Select(c => $"{c.Name}: {c.Reason}")];

    /// <summary>Sets (or replaces the reason of) the condition <paramref name="name"/>.</summary>
    public void Set(string name, string reason)
    {
        lock (_lock) _conditions[name] = reason;
    }

    /// <summary>Clears the condition; true when it was set.</summary>
    public bool Clear(string name)
    {
        lock (_lock) return _conditions.Remove(name);
    }

    public bool Has(string name)
    {
        lock (_lock) return _conditions.ContainsKey(name);
    }
}
