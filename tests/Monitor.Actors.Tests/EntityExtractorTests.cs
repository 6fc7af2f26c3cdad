using Akka.Cluster.Sharding;
using Monitor.Actors;
using Monitor.Testing;
using Xunit;

namespace Monitor.Actors.Tests;

/// <summary>The routing Akka.Cluster.Sharding will use: an entity per user, branch, employee and subject share, nothing for the rest.</summary>
public sealed class EntityExtractorTests
{
    private readonly EntityExtractor _extractor = new();

    private string Shard(object message) => _extractor.ShardId(_extractor.EntityId(message)!, message);

    [Fact]
    public void A_users_events_go_to_that_user_and_to_the_same_shard_every_time()
    {
        var share = new UserEvents(1, 0, "QO010101", [Ev.Query("QO010101")]);
        Assert.Equal("QO010101", _extractor.EntityId(share));
        var later = new UserEvents(2, 3, "QO010101", []);
        Assert.Equal(Shard(share), Shard(later));
        Assert.Same(share, _extractor.EntityMessage(share));
    }

    [Fact]
    public void A_message_no_entity_takes_has_no_entity_instead_of_failing_the_region()
    {
        Assert.Null(_extractor.EntityId("not a share"));
    }

    [Fact]
    public void An_entity_started_ahead_of_its_first_message_lands_in_the_shard_its_messages_go_to()
    {
        var start = new ShardRegion.StartEntity("QO010101");
        Assert.Equal(Shard(new UserEvents(1, 0, "QO010101", [])), _extractor.ShardId(start.EntityId, start));
    }
}
