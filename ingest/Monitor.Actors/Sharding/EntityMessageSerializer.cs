using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Monitor.Actors.State;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Models;
using NodaTime;
using NodaTime.Text;

namespace Monitor.Actors.Sharding;

/// <summary>
/// The wire form of everything that passes between the leading node and sharded entities on other nodes: JSON with
/// a versioned manifest per message (<c>name.v1</c>), so nodes of two releases can run side by side during a rolling
/// upgrade (a later release adds <c>.v2</c> beside <c>.v1</c> and reads both). JSON because these messages are records
/// of the contract's own JSON types (events, alerts, commands) and a mismatch then names a field instead of
/// corrupting silently; actor references travel as Akka's serialized paths. Nothing persisted goes through it: the
/// snapshots inside <see cref="StateToWrite"/> are the monitor's own versioned bytes (<c>StateSchema</c>).
/// </summary>
public sealed class EntityMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Akka's serializer id (ids below 100 are Akka's own; 7310 is the monitor's cluster serializer).</summary>
    public const int Id = 7311;

    private const string EnvelopeV1 = "envelope.v1";

    /// <summary>Every message type this serializer writes, with its manifest.</summary>
    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(EntityEnvelope)] = EnvelopeV1,
        [typeof(UserEvents)] = "users.v1",
        [typeof(BranchEvents)] = "branches.v1",
        [typeof(EmployeeEvents)] = "employees.v1",
        [typeof(SubjectEvents)] = "subjects.v1",
        [typeof(SaveState)] = "save.v1",
        [typeof(StateWritten)] = "written.v1",
        [typeof(StopEntity)] = "stop.v1",
        [typeof(UserSeed)] = "user-seed.v1",
        [typeof(EmployeeSeed)] = "employee-seed.v1",
        [typeof(PartDone)] = "part-done.v1",
        [typeof(StateSaved)] = "saved.v1",
        [typeof(StateToWrite)] = "to-write.v1",
        [typeof(Passivate)] = "passivate.v1",
        [typeof(StateDropped)] = "dropped.v1",
        [typeof(EntityStopped)] = "stopped.v1",
        [typeof(AccountsSeeded)] = "seeded.v1",
        [typeof(ConfigWanted)] = "config-wanted.v1",
        [typeof(ConfigPackage)] = "config.v1",
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);

    private readonly JsonSerializerOptions _json;

    public EntityMessageSerializer(ExtendedActorSystem system) : base(system)
    {
        _json = new JsonSerializerOptions { IncludeFields = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        _json.Converters.Add(new ActorRefConverter(system));
        _json.Converters.Add(new SnapshotConverter());
        _json.Converters.Add(new ReadOnlySetConverter());
    }

    public override int Identifier => Id;

    /// <summary>
    /// The HOCON that binds the messages to this serializer, and remoting's frame size: a branch's share of a batch
    /// can be a few hundred KB and the models about 1.6 MB, above Akka's default of 128,000 bytes.
    /// </summary>
    public static string Hocon => $$"""
        akka.remote.dot-netty.tcp.maximum-frame-size = 16 MiB
        akka.remote.dot-netty.tcp.send-buffer-size = 16 MiB
        akka.remote.dot-netty.tcp.receive-buffer-size = 16 MiB
        akka.actor.serializers.monitor-entities = "{{typeof(EntityMessageSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings {
        {{string.Join("\n", Manifests.Keys.Select(t => $"  \"{t.AssemblyQualifiedName}\" = monitor-entities"))}}
        }
        """;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var m) ? m : throw new SerializationException($"the monitor's entity serializer does not know {o.GetType().Name}");

    public override byte[] ToBinary(object obj)
    {
        if (obj is EntityEnvelope e)
        {
            var inner = Manifest(e.Message);
            var wire = new WireEnvelope(e.EntityId, e.Term, inner, JsonSerializer.SerializeToNode(e.Message, e.Message.GetType(), _json));
            return JsonSerializer.SerializeToUtf8Bytes(wire, _json);
        }
        _ = Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _json);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == EnvelopeV1)
        {
            var wire = JsonSerializer.Deserialize<WireEnvelope>(bytes, _json) ?? throw new SerializationException("an empty envelope");
            return new EntityEnvelope(wire.EntityId, wire.Term, Read(wire.Message?.ToJsonString() ?? "null", wire.Manifest));
        }
        return Read(bytes, manifest);
    }

    private object Read(string json, string manifest) => Read(System.Text.Encoding.UTF8.GetBytes(json), manifest);

    private object Read(byte[] json, string manifest) =>
        Types.TryGetValue(manifest, out var type) && manifest != EnvelopeV1
            ? JsonSerializer.Deserialize(json, type, _json) ?? throw new SerializationException($"an empty {manifest}")
            : throw new SerializationException($"a message of kind '{manifest}' from a node of another release: this node reads {string.Join(", ", Types.Keys)}");

    private sealed record WireEnvelope(string EntityId, EntityTerm Term, string Manifest, JsonNode? Message);

    /// <summary>Actor references as Akka's serialized paths, resolved on the receiving node.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(IActorRef).IsAssignableFrom(typeToConvert);

        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString() is { Length: > 0 } path ? system.Provider.ResolveActorRef(path) : ActorRefs.Nobody;

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.IsNobody() ? "" : Akka.Serialization.Serialization.SerializedActorPath(value));
    }

    /// <summary>Settings in force: the settings as the settings file would say them, the calendar's days, the store's suppressions.</summary>
    private sealed class SnapshotConverter : JsonConverter<DetectorSnapshot>
    {
        public override DetectorSnapshot Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var wire = JsonSerializer.Deserialize<WireSnapshot>(ref reader) ?? throw new SerializationException("empty settings");
            var calendar = new Detectors.Calendar.WorkCalendar(wire.Holidays.Select(Day), wire.Workdays.Select(Day));
            return new DetectorSnapshot(SettingsLoader.Parse(wire.Settings), calendar).WithStored(wire.Stored);
        }

        public override void Write(Utf8JsonWriter writer, DetectorSnapshot value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new WireSnapshot(SettingsLoader.Write(value.Settings),
                [.. value.Calendar.Holidays.Select(Text)], [.. value.Calendar.AdjustedWorkdays.Select(Text)], [.. value.Stored]));

        private static LocalDate Day(string text) => LocalDatePattern.Iso.Parse(text).Value;

        private static string Text(LocalDate day) => LocalDatePattern.Iso.Format(day);
    }

    /// <summary>Read-only sets (a day close's branches) as arrays; System.Text.Json cannot make the interface itself.</summary>
    private sealed class ReadOnlySetConverter : JsonConverter<IReadOnlySet<string>>
    {
        public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new HashSet<string>(JsonSerializer.Deserialize<string[]>(ref reader) ?? [], StringComparer.Ordinal);

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray());
    }

    private sealed record WireSnapshot(string Settings, string[] Holidays, string[] Workdays, Suppression[] Stored);
}
