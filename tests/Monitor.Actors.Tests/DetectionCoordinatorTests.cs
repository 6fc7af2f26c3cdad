using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Monitor.Detectors.Settings;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.Actors.Tests;

/// <summary>The coordinator's own decisions, with the regions played by probes that answer when the test says.</summary>
public sealed class DetectionCoordinatorTests : TestKit
{
    [Fact]
    public void Batches_are_finished_in_the_order_they_were_read_even_when_a_later_ones_entities_answer_first()
    {
        var probes = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToArray();
        var regions = new DetectionRegions(probes[0], probes[1], probes[2], probes[3]);
        var coordinator = Sys.ActorOf(DetectionCoordinator.Props(new DetectionSettings(), new FixedClock(Ev.At(2026, 6, 1, 0)), regions));

        coordinator.Tell(new ProcessBatch(1, [new IngestedEvent(Ev.Query("Q1", Ev.At(2026, 3, 2, 10)), 0)]), TestActor);
        var first = Parts(probes);
        coordinator.Tell(new ProcessBatch(2, [new IngestedEvent(Ev.Query("Q2", Ev.At(2026, 3, 2, 11)), 0)]), TestActor);
        var second = Parts(probes);
        Assert.NotEmpty(first);
        Assert.NotEmpty(second);

        // The second batch's entities answer first: its result waits for the first batch.
        foreach (var (part, from) in second) coordinator.Tell(new PartDone(part.BatchId, part.Part, [], [], []), from);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        foreach (var (part, from) in first) coordinator.Tell(new PartDone(part.BatchId, part.Part, [], [], []), from);
        Assert.Equal(1, ExpectMsg<BatchProcessed>().BatchId);
        Assert.Equal(2, ExpectMsg<BatchProcessed>().BatchId);
    }

    [Fact]
    public void With_entities_on_other_nodes_a_batch_without_any_answer_for_the_deadline_fails_as_lost()
    {
        var probes = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToArray();
        var regions = new DetectionRegions(probes[0], probes[1], probes[2], probes[3]);
        var clock = new FixedClock(Ev.At(2026, 6, 1, 0));
        var coordinator = Sys.ActorOf(DetectionCoordinator.Props(new DetectionSettings(), clock, regions, answerDeadline: TimeSpan.FromSeconds(30)));

        coordinator.Tell(new ProcessBatch(1, [new IngestedEvent(Ev.Query("Q1", Ev.At(2026, 3, 2, 10)), 0), new IngestedEvent(Ev.Query("Q2", Ev.At(2026, 3, 2, 10)), 0)]), TestActor);
        var parts = Parts(probes);
        Assert.True(parts.Count > 1);
        // One entity answers at 25 s (the batch is making progress), the others never do (a share dropped while its shard moved).
        clock.Now += TimeSpan.FromSeconds(25);
        coordinator.Tell(new PartDone(parts[0].Part.BatchId, parts[0].Part.Part, [], [], []), parts[0].From);
        ExpectNoMsg(TimeSpan.FromSeconds(9)); // checked every 7.5 s: not yet 30 s without an answer
        clock.Now += TimeSpan.FromSeconds(31);
        var failure = ExpectMsg<Status.Failure>(TimeSpan.FromSeconds(10));
        var lost = Assert.IsType<Sharding.EntityStateLostException>(failure.Cause);
        Assert.Contains("had no answer for 31 s", lost.Message);

        // A late answer changes nothing: the batch is gone.
        coordinator.Tell(new PartDone(parts[1].Part.BatchId, parts[1].Part.Part, [], [], []), parts[1].From);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void On_one_node_a_batch_waits_for_its_entities_however_long_they_take()
    {
        var probes = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToArray();
        var clock = new FixedClock(Ev.At(2026, 6, 1, 0));
        var coordinator = Sys.ActorOf(DetectionCoordinator.Props(new DetectionSettings(), clock, new DetectionRegions(probes[0], probes[1], probes[2], probes[3])));
        coordinator.Tell(new ProcessBatch(1, [new IngestedEvent(Ev.Query("Q1", Ev.At(2026, 3, 2, 10)), 0)]), TestActor);
        var parts = Parts(probes);
        clock.Now += TimeSpan.FromMinutes(10);
        ExpectNoMsg(TimeSpan.FromSeconds(1));
        foreach (var (part, from) in parts) coordinator.Tell(new PartDone(part.BatchId, part.Part, [], [], []), from);
        Assert.Equal(1, ExpectMsg<BatchProcessed>().BatchId);
    }

    /// <summary>Every share of one batch the regions were sent, with who sent it.</summary>
    private static List<(IEntityShare Part, IActorRef From)> Parts(TestProbe[] probes)
    {
        var parts = new List<(IEntityShare, IActorRef)>();
        foreach (var p in probes)
        {
            while (p.ReceiveOne(TimeSpan.FromMilliseconds(300)) is { } m)
            {
                if (m is IEntityShare share) parts.Add((share, p.LastSender));
            }
        }
        return parts;
    }
}
