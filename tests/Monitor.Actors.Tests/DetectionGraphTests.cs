using Akka.Actor;
using Akka.TestKit.Xunit2;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Detectors.Settings;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.Actors.Tests;

public sealed class DetectionGraphTests : TestKit
{
    private readonly FixedClock _clock = new(Ev.At(2026, 6, 1, 0));

    private DetectionGraph Graph() => DetectionGraph.Start(DetectorContext.Default().Current, _clock, Sys);

    private static IReadOnlyList<IngestedEvent> Batch(params QueryLogEvent[] events) => events.Select(e => new IngestedEvent(e, 0)).ToList();

    [Fact]
    public async Task Four_administrators_reading_in_one_branch_within_the_hour_suspend_three_and_escalate_the_fourth()
    {
        var graph = Graph();
        var admins = Enumerable.Range(1, 4).Select(i => Ev.Query(user: $"UA010{i}", role: UserRole.UserAdmin, at: Ev.Monday10.AddMinutes(5 * i))).ToArray();
        var first = await graph.ProcessAsync(Batch(admins[..2]));
        var second = await graph.ProcessAsync(Batch(admins[2..]));
        Assert.Equal(["UA0101", "UA0102", "UA0103"], first.Commands.Concat(second.Commands).Select(c => c.UserId));
        var escalated = Assert.Single(second.Alerts, a => a.UserId == "UA0104");
        Assert.Equal("critical", escalated.Severity);
        Assert.Contains("withheld", escalated.Explanation);
    }

    [Fact]
    public async Task Reloaded_settings_reach_every_entity_from_the_next_batch_on_also_one_started_after_the_reload()
    {
        var graph = Graph();
        QueryLogEvent Read(string user, int minute) => Ev.Query(user: user, at: Ev.Monday10.AddMinutes(minute));
        var before = await graph.ProcessAsync(Batch([.. Enumerable.Range(0, 5).Select(i => Read("Q0001", i))]));
        Assert.DoesNotContain(before.Alerts, a => a.Rule == RuleIds.VolumeSpike); // 5 reads: far below the default 150 a day

        graph.Reconfigure(DetectorSnapshot.Load(new DetectionSettings { Volume = new VolumeThresholds { UserDaily = 3 } }));
        var after = await graph.ProcessAsync(Batch([Read("Q0001", 5), .. Enumerable.Range(10, 4).Select(i => Read("Q0002", i)), Ev.Query(user: "Q0003", at: Ev.Monday10.AddDays(1))]));

        // Q0001's actor was running before the reload, Q0002's started after it: both judge under the new threshold.
        Assert.Equal(["Q0001", "Q0002"], after.Alerts.Where(a => a.Rule == RuleIds.VolumeSpike).Select(a => a.UserId).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_valve_reports_the_branch_it_shuts_so_the_store_can_keep_it_shut()
    {
        var graph = Graph();
        var admins = Enumerable.Range(1, 4).Select(i => Ev.Query(user: $"UA010{i}", role: UserRole.UserAdmin, at: Ev.Monday10.AddMinutes(5 * i))).ToArray();
        var result = await graph.ProcessAsync(Batch(admins));
        Assert.Equal(["SB0101"], result.Shut);
        Assert.Empty((await graph.ProcessAsync(Batch(Ev.Query(user: "UA0105", role: UserRole.UserAdmin, at: Ev.Monday10.AddDays(1))))).Shut);
    }

    [Fact]
    public async Task A_branch_kept_shut_after_a_restart_gets_no_automatic_suspension_until_reopened()
    {
        var graph = Graph();
        graph.KeepShut(["SB0101"]);
        var shut = await graph.ProcessAsync(Batch(Ev.Query(user: "UA0101", role: UserRole.UserAdmin)));
        Assert.Empty(shut.Commands);
        Assert.Contains("until an officer reopens it", Assert.Single(shut.Alerts).Explanation);
        graph.Reopen("SB0101");
        var reopened = await graph.ProcessAsync(Batch(Ev.Query(user: "UA0102", role: UserRole.UserAdmin, at: Ev.Monday10.AddMinutes(10))));
        Assert.Equal("UA0102", Assert.Single(reopened.Commands).UserId);
    }

    [Fact]
    public async Task A_user_whose_suspension_the_valve_withheld_is_suspended_when_it_queries_again_after_the_branch_is_reopened()
    {
        var graph = Graph();
        var admins = Enumerable.Range(1, 4).Select(i => Ev.Query(user: $"UA010{i}", role: UserRole.UserAdmin, at: Ev.Monday10.AddMinutes(5 * i))).ToArray();
        var first = await graph.ProcessAsync(Batch(admins));
        Assert.DoesNotContain(first.Commands, c => c.UserId == "UA0104");
        graph.Reopen("SB0101");
        var again = await graph.ProcessAsync(Batch(Ev.Query(user: "UA0104", role: UserRole.UserAdmin, at: Ev.Monday10.AddHours(2))));
        Assert.Equal("UA0104", Assert.Single(again.Commands).UserId);
    }

    [Fact]
    public async Task Admin_query_through_the_actors_gives_an_alert_and_a_suspension()
    {
        var graph = Graph();
        var result = await graph.ProcessAsync(Batch(Ev.Query(), Ev.Query(user: "UA0101", role: UserRole.UserAdmin)));
        var alert = Assert.Single(result.Alerts);
        Assert.Equal(RuleIds.AdminQuery, alert.Rule);
        Assert.Equal("UA0101", Assert.Single(result.Commands).UserId);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public async Task Redelivered_batch_is_recognised_and_publishes_nothing_new()
    {
        var graph = Graph();
        var batch = Batch(Ev.Query(user: "UA0101", role: UserRole.UserAdmin), Ev.Query() with { AuthorizationId = null });
        var first = await graph.ProcessAsync(batch);
        var again = await graph.ProcessAsync(batch);
        Assert.Equal(2, first.Alerts.Count);
        Assert.Equal(2, again.Duplicates);
        Assert.Empty(again.Alerts);
        Assert.Empty(again.Commands);
    }

    [Fact]
    public async Task Late_event_is_rejected_by_index_with_the_reason()
    {
        var graph = Graph();
        // Three users give the partition its event time (one or two alone cannot: SourceTime).
        var result = await graph.ProcessAsync(Batch(Ev.Query(user: "QA", at: Ev.At(2026, 3, 3, 12)), Ev.Query(user: "QB", at: Ev.At(2026, 3, 3, 12)),
            Ev.Query(at: Ev.At(2026, 3, 3, 12)), Ev.Query(at: Ev.At(2026, 3, 3, 6))));
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(3, rejected.Index);
        Assert.StartsWith("late:", rejected.Reason);
    }

    [Fact]
    public async Task Only_events_neither_redelivered_nor_refused_are_reported_as_accepted()
    {
        var graph = Graph();
        var seen = Ev.Query(user: "QA", at: Ev.At(2026, 3, 3, 12));
        await graph.ProcessAsync(Batch(seen));
        var result = await graph.ProcessAsync(Batch(Ev.Query(user: "QB", at: Ev.At(2026, 3, 3, 12)), seen,
            Ev.Query(at: Ev.At(2026, 3, 3, 12)), Ev.Query(user: "QC", at: Ev.At(2026, 3, 3, 12)), Ev.Query(at: Ev.At(2026, 3, 3, 6))));
        Assert.Equal(1, result.Duplicates);
        Assert.Equal(4, Assert.Single(result.Rejected).Index);
        Assert.Equal([0, 2, 3], result.Accepted);
    }

    [Fact]
    public async Task Sub_branch_queries_reach_the_parent_branch_actor()
    {
        var graph = Graph();
        await graph.ProcessAsync(Batch(Ev.Query()));
        var parent = await Sys.ActorSelection("/user/branches/BR0100").ResolveOne(TimeSpan.FromSeconds(3));
        Assert.NotNull(parent);
        var user = await Sys.ActorSelection("/user/users/Q440100").ResolveOne(TimeSpan.FromSeconds(3));
        Assert.NotNull(user);
    }

    [Fact]
    public void Extractor_routes_like_cluster_sharding_would()
    {
        var extractor = new EntityExtractor();
        var userMsg = new UserEvents(1, 0, "Q1", []);
        var branchMsg = new BranchEvents(1, 1, "SB0101", []);
        Assert.Equal("Q1", extractor.EntityId(userMsg));
        Assert.Equal("SB0101", extractor.EntityId(branchMsg));
        Assert.Equal(extractor.ShardId("Q1", userMsg), new EntityExtractor().ShardId("Q1"));
        Assert.Same(userMsg, extractor.EntityMessage(userMsg));
    }

    [Fact]
    public void Region_creates_one_entity_per_id_and_forwards_to_it()
    {
        var region = Sys.ActorOf(EntityRegion.Props(new EntityExtractor(), id => EntityActor.User(id, DetectorContext.Default().Current)));
        region.Tell(new UserEvents(7, 3, "UA0101", [Ev.Query(user: "UA0101", role: UserRole.GeneralAdmin)]));
        var done = ExpectMsg<PartDone>();
        Assert.Equal(3, done.Part);
        Assert.Single(done.Alerts);
        region.Tell(new UserEvents(8, 0, "UA0101", [Ev.Query(user: "UA0101", role: UserRole.GeneralAdmin, at: Ev.Monday10.AddMinutes(1))]));
        var second = ExpectMsg<PartDone>();
        Assert.Empty(second.Commands); // the same actor remembers it already suspended this user
    }
}
