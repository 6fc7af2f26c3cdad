using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace Monitor.Hosting.Cluster;

/// <summary>
/// The wire form of the monitor's own messages that cross nodes. Each has a versioned manifest (<c>name.vN</c>): a
/// later release adds <c>.v2</c> beside <c>.v1</c> and reads both, so nodes of two releases work side by side
/// during a rolling upgrade. Nothing the monitor persists goes through Akka's serializers (snapshots are the
/// monitor's own versioned bytes, see <c>StateSchema</c>), and no message of ours relies on the default one.
/// </summary>
public sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka's serializer id (ids below 100 are Akka's own).</summary>
    public const int Id = 7310;

    private const string ReopenV1 = "reopen.v1";
    private const string LeavingV1 = "leaving.v1";
    private const string LeaveReadyV1 = "leave-ready.v1";

    public override int Identifier => Id;

    /// <summary>The HOCON that binds the messages to this serializer.</summary>
    public static string Hocon => $$"""
        akka.actor.serializers.monitor-cluster = "{{typeof(ClusterMessageSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings {
          "{{typeof(ReopenRequest).AssemblyQualifiedName}}" = monitor-cluster
          "{{typeof(LeaveRequest).AssemblyQualifiedName}}" = monitor-cluster
          "{{typeof(LeaveReady).AssemblyQualifiedName}}" = monitor-cluster
        }
        """;

    public override string Manifest(object o) => o switch
    {
        ReopenRequest => ReopenV1,
        LeaveRequest => LeavingV1,
        LeaveReady => LeaveReadyV1,
        _ => throw new SerializationException($"the monitor's cluster serializer does not know {o.GetType().Name}"),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        ReopenRequest r => Encoding.UTF8.GetBytes(r.BranchId),
        LeaveRequest l => Encoding.UTF8.GetBytes(l.Member),
        LeaveReady r => [r.Held ? (byte)1 : (byte)0],
        _ => throw new SerializationException($"the monitor's cluster serializer does not know {obj.GetType().Name}"),
    };

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        ReopenV1 => new ReopenRequest(Encoding.UTF8.GetString(bytes)),
        LeavingV1 => new LeaveRequest(Encoding.UTF8.GetString(bytes)),
        LeaveReadyV1 => new LeaveReady(bytes is [1]),
        _ => throw new SerializationException($"a message of kind '{manifest}' from a node of another release: this node reads {ReopenV1}, {LeavingV1}, {LeaveReadyV1}"),
    };
}
