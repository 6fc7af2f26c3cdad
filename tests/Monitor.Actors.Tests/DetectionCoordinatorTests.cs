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
