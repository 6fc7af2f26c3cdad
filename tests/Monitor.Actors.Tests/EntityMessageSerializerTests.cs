using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Monitor.Actors.Sharding;
using Monitor.Actors.State;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using Monitor.Models;
using Monitor.Testing;
using Xunit;

namespace Monitor.Actors.Tests;

/// <summary>
/// <see cref="EntityMessageSerializer"/>: what crosses nodes between the leading node and sharded entities comes out
/// as it went in, and a message of a kind this release does not know is refused in words, not misread.
/// </summary>
public sealed class EntityMessageSerializerTests : TestKit
{
    private EntityMessageSerializer Serializer => new((ExtendedActorSystem)Sys);

    private T RoundTrip<T>(T message) where T : notnull
    {
        var s = Serializer;
        return (T)s.FromBinary(s.ToBinary(message), s.Manifest(message));
    }

    [Fact]
    public void A_share_in_its_envelope_arrives_with_its_events_day_close_and_term()
    {
        var events = new[] { Ev.Query("Q0001", Ev.Monday10) with { SubjectId = "S-1" }, Ev.Query("Q0001", Ev.Monday10.AddMinutes(3)) };
        var share = new UserEvents(7, 2, "Q0001", events)
        {
            End = new DayClose(739675, Ev.Monday10.AddHours(16)) { RegisterBranches = new Dictionary<int, IReadOnlySet<string>> { [739675] = new HashSet<string> { "SB0101" } } },
        };
        var term = new EntityTerm(3, new LedgerView(12, [(4, 6)]), "abc.s1", "abc.m2", true, TestActor);

        var back = RoundTrip(new EntityEnvelope("Q0001", term, share));

        Assert.Equal("Q0001", back.EntityId);
        Assert.Equal(TestActor.Path, back.Term.Region.Path);
        Assert.Equal((3L, 12L, "abc.s1", "abc.m2", true), (back.Term.Epoch, back.Term.Ledger.Committed, back.Term.SettingsVersion, back.Term.ModelsVersion, back.Term.Continuing));
        Assert.False(back.Term.Ledger.Counts(5)); // the aborted range came along
        var got = Assert.IsType<UserEvents>(back.Message);
        Assert.Equal(events, got.Events); // records: every field, the subject's key recomputed from its id
        Assert.True(got.End!.RegisterCovers(739675, "SB0101"));
    }

    [Fact]
    public void An_answer_keeps_its_alerts_failures_windows_and_lost_mark()
    {
        var alert = new Alert
        {
            AlertId = "a1", Revision = 2, Rule = RuleIds.AdminQuery, EntityType = "user", EntityId = "A1", Severity = "critical", Score = 90,
            Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1, Explanation = "管理员查询", Evidence = ["e1"],
        };
        var done = new PartDone(7, 1, [alert], [], [("e9", "processing error")])
        {
            Windows = [new ClosedWindow("A1", ["g"], 739675, [1.5f, 2f], true)],
            Lost = true,
        };

        var back = RoundTrip(done);

        Assert.Equal(alert, Assert.Single(back.Alerts) with { Evidence = alert.Evidence });
        Assert.Equal(["e1"], back.Alerts[0].Evidence);
        Assert.Equal(("e9", "processing error"), Assert.Single(back.Failed));
        Assert.Equal([1.5f, 2f], Assert.Single(back.Windows).Features);
        Assert.True(back.Lost);
    }

    [Fact]
    public void A_snapshot_to_write_keeps_its_bytes()
    {
        var back = RoundTrip(new StateToWrite(5, "Q0001", new StateRow("user/Q0001", 5, [1, 2, 3, 255], 4)));
        Assert.Equal([1, 2, 3, 255], back.Row.Bytes);
        Assert.Equal(("user/Q0001", 5L, 4L), (back.Row.PersistenceId, back.Row.Id, back.Row.DeleteBelow));
    }

    [Fact]
    public void Settings_sent_to_another_node_keep_their_values_calendar_and_stored_suppressions()
    {
        var settings = SettingsLoader.Parse("""{ "volume": { "userDaily": 40 } }""");
        var snapshot = DetectorSnapshot.Load(settings).WithStored([new Suppression { Rule = RuleIds.OffHours, EntityId = "Q0002", Until = Ev.Monday10.AddDays(3), Reason = "值班" }]);

        var back = RoundTrip(new ConfigPackage("v.s1", snapshot, PeerModelSet.Empty.Version, PeerModelSet.Empty));

        Assert.Equal(40, back.Settings!.Settings.Volume.UserDaily);
        Assert.Equal(SettingsLoader.Write(settings), SettingsLoader.Write(back.Settings.Settings));
        Assert.Equal(snapshot.Calendar.Holidays.Order(), back.Settings.Calendar.Holidays.Order());
        Assert.Equal(snapshot.Calendar.AdjustedWorkdays.Order(), back.Settings.Calendar.AdjustedWorkdays.Order());
        Assert.Equal("值班", Assert.Single(back.Settings.Stored).Reason);
    }

    [Fact]
    public void A_message_of_a_kind_this_release_does_not_know_is_refused_in_words()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary([], "users.v9"));
        Assert.Contains("another release", e.Message);
        Assert.Throws<SerializationException>(() => Serializer.Manifest(new object()));
    }

    [Fact]
    public void Every_message_kind_is_bound_to_the_serializer()
    {
        foreach (var type in EntityMessageSerializer.Manifests.Keys)
            Assert.Contains(type.AssemblyQualifiedName!, EntityMessageSerializer.Hocon);
    }
}
