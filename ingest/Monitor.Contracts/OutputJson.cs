using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Contracts;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(PermissionCommand))]
[JsonSerializable(typeof(DeadLetter))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;

/// <summary>Serialization of what the monitor publishes: alerts, permission commands and dead letters.</summary>
public static class OutputJson
{
    private static readonly OutputJsonContext Ctx = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public static string Serialize(Alert a) => JsonSerializer.Serialize(a, Ctx.Alert);
    public static string Serialize(PermissionCommand c) => JsonSerializer.Serialize(c, Ctx.PermissionCommand);
    public static string Serialize(DeadLetter d) => JsonSerializer.Serialize(d, Ctx.DeadLetter);
    public static byte[] SerializeToUtf8(Alert a) => JsonSerializer.SerializeToUtf8Bytes(a, Ctx.Alert);
    public static byte[] SerializeToUtf8(PermissionCommand c) => JsonSerializer.SerializeToUtf8Bytes(c, Ctx.PermissionCommand);

    public static Alert ParseAlert(string json) =>
        JsonSerializer.Deserialize(json, Ctx.Alert) ?? throw new JsonException("null alert");

    public static PermissionCommand ParseCommand(string json) =>
        JsonSerializer.Deserialize(json, Ctx.PermissionCommand) ?? throw new JsonException("null command");

    public static DeadLetter ParseDeadLetter(string json) =>
        JsonSerializer.Deserialize(json, Ctx.DeadLetter) ?? throw new JsonException("null dead letter");
}
