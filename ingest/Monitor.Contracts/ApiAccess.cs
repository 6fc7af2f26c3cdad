using System.Text.Json.Serialization;

namespace Monitor.Contracts;

/// <summary>
/// The settings file's <c>api</c> section: where the officers' API listens and who may call it. It is not a detection
/// setting; it lives here so that the API reads it without depending on the detectors.
/// </summary>
public sealed record ApiSettings
{
    [JsonPropertyName("listen")] public string Listen { get; init; } = "127.0.0.1:8080";
    [JsonPropertyName("keys")] public IReadOnlyList<ApiKey> Keys { get; init; } = [];

    /// <summary>
    /// <c>GET /ready</c> answers 503 while the consumer is more than this many messages behind the end of its partitions
    /// (summed): a monitor that far behind is not watching the present, whatever else works. Null: never for lag.
    /// </summary>
    [JsonPropertyName("readyMaxLag")] public long? ReadyMaxLag { get; init; } = 100_000;
}

/// <summary>One caller of the API: a name for the audit log, a role (officer, analyst, auditor) and the hash of the key.</summary>
public sealed record ApiKey
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("role")] public string Role { get; init; } = "";
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";

    /// <summary>
    /// The branch whose officer this is: the key sees and signs the daily sheets of that branch and the branches below
    /// it, and not others. Without one, the key is head office's and sees every branch.
    /// </summary>
    [JsonPropertyName("branch")] public string? Branch { get; init; }
}

