namespace Monitor.Metrics;

/// <summary>
/// Where and how to write to InfluxDB. With <see cref="Bucket"/> set the 2.x/3.x API is used
/// (<c>/api/v2/write?org=&amp;bucket=</c>, <c>Authorization: Token</c>) through <see cref="Influx2Writer"/>;
/// otherwise the 1.x API (<c>/write?db=</c>, optional user and password) through <see cref="Influx1Writer"/>.
/// <see cref="InfluxSink.Create"/> makes the one these options call for.
/// </summary>
public sealed record InfluxOptions
{
    public required Uri Url { get; init; }
    public string Database { get; init; } = "credit_monitor";
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Org { get; init; }
    public string? Bucket { get; init; }
    public string? Token { get; init; }

    /// <summary>Points held while InfluxDB is slow or away; beyond it new points are dropped and counted.</summary>
    public int BufferPoints { get; init; } = 100_000;

    public int BatchPoints { get; init; } = 5_000;
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// 2.x/3.x: retries of one batch before the client gives it up (dropped and counted); with the backoff above,
    /// 8 retries ride out one to two minutes. The 1.x writer retries a batch until it is written or refused.
    /// </summary>
    public int MaxRetries { get; init; } = 8;

    public bool Gzip { get; init; } = true;

    /// <summary>How long one write request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool IsV2 => Bucket is not null;

    /// <summary>The 1.x write endpoint with its query string.</summary>
    internal Uri V1WriteUri()
    {
        static string E(string s) => Uri.EscapeDataString(s);
        var path = $"write?db={E(Database)}&precision=ms" + (Username is null ? "" : $"&u={E(Username)}&p={E(Password ?? "")}");
        return new Uri(new Uri(Url.ToString().TrimEnd('/') + "/"), path);
    }
}
