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
}

/// <summary>One caller of the API: a name for the audit log, a role (officer, analyst, auditor) and the hash of the key.</summary>
public sealed record ApiKey
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("role")] public string Role { get; init; } = "";
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";
}

