namespace Monitor.Metrics;

/// <summary>
/// Where and how to write to InfluxDB. With <see cref="Bucket"/> set the 2.x/3.x API is used
/// (<c>/api/v2/write?org=&amp;bucket=</c>, <c>Authorization: Token</c>); otherwise the 1.x API
/// (<c>/write?db=</c>, optional user and password).
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
    public bool Gzip { get; init; } = true;

    public bool IsV2 => Bucket is not null;

    /// <summary>The write endpoint with its query string.</summary>
    public Uri WriteUri()
    {
        static string E(string s) => Uri.EscapeDataString(s);
        var path = IsV2
            ? $"api/v2/write?org={E(Org ?? "")}&bucket={E(Bucket!)}&precision=ms"
            : $"write?db={E(Database)}&precision=ms" + (Username is null ? "" : $"&u={E(Username)}&p={E(Password ?? "")}");
        return new Uri(new Uri(Url.ToString().TrimEnd('/') + "/"), path);
    }
}
