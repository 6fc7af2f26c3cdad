using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Simulator;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IncidentLabel))]
internal sealed partial class LabelJsonContext : JsonSerializerContext;

/// <summary>The labels file: one incident per JSON line, the ground truth for <c>monitor evaluate</c>.</summary>
public static class LabelJson
{
    public static string Serialize(IncidentLabel label) => JsonSerializer.Serialize(label, LabelJsonContext.Default.IncidentLabel);

    public static IncidentLabel Parse(string line) =>
        JsonSerializer.Deserialize(line, LabelJsonContext.Default.IncidentLabel) ?? throw new JsonException("null label");

    public static IReadOnlyList<IncidentLabel> ReadFile(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(Parse).ToList();
}
