using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Monitor.Hosting.Cluster;
using Xunit;

namespace Monitor.Hosting.Tests;

public sealed class ClusterMessageSerializerTests : IAsyncLifetime
{
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("serializer-test", ConfigurationFactory.ParseString(ClusterMessageSerializer.Hocon));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _system.Terminate();

    [Fact]
    public void A_reopening_crosses_nodes_through_the_monitors_serializer_under_a_versioned_manifest()
    {
        var message = new ReopenRequest("SB0101 分行");
        var serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsType<ClusterMessageSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.Equal("reopen.v1", manifest);
        var bytes = serializer.ToBinary(message);
        Assert.Equal(message, _system.Serialization.Deserialize(bytes, ClusterMessageSerializer.Id, manifest));
    }

    [Fact]
    public void A_message_of_a_kind_this_release_does_not_know_is_refused_with_its_manifest_named()
    {
        var serializer = (ClusterMessageSerializer)_system.Serialization.FindSerializerForType(typeof(ReopenRequest));
        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary([1, 2], "reopen.v9"));
        Assert.Contains("reopen.v9", e.Message);
    }
}
