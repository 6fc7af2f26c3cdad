using Monitor.Contracts;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class BatchPlannerTests
{
    private static readonly DetectionSettings Settings = new();

    private static (ScreenedBatch Screened, BatchPlan Plan) Run(BatchPlanner planner, params (QueryLogEvent Event, int Source)[] batch) =>
        Run(planner, batch.Length == 0 ? Ev.Monday10 : batch.Max(b => b.Event.OccurredAt), batch);

    /// <summary>A batch planned in one segment (it closes no day before its last event).</summary>
    private static (ScreenedBatch Screened, BatchPlan Plan) Run(BatchPlanner planner, DateTimeOffset now, params (QueryLogEvent Event, int Source)[] batch)
    {
        var (screened, segments) = Segments(planner, now, batch);
        return (screened, Assert.Single(segments));
    }

    /// <summary>A batch planned segment after segment, as the coordinator does.</summary>
    private static (ScreenedBatch Screened, List<BatchPlan> Segments) Segments(BatchPlanner planner, DateTimeOffset now, params (QueryLogEvent Event, int Source)[] batch)
    {
        var screened = planner.Screen(batch.Length, i => batch[i], now);
        var segments = new List<BatchPlan>();
        var from = 0;
        do
        {
            segments.Add(planner.Plan(i => batch[i], screened, from));
            from = segments[^1].Next;
        }
        while (from < screened.Accepted.Count);
        return (screened, segments);
    }

    private static (ScreenedBatch Screened, List<BatchPlan> Segments) Segments(BatchPlanner planner, params (QueryLogEvent Event, int Source)[] batch) =>
        Segments(planner, batch.Max(b => b.Event.OccurredAt), batch);

    private static (QueryLogEvent, int) On0(QueryLogEvent e) => (e, 0);

    [Fact]
    public void A_redelivered_event_is_counted_and_reaches_no_entity_within_a_batch_and_in_a_later_one()
    {
        var planner = new BatchPlanner(Settings);
        var q = Ev.Query("Q1", id: "e-1");
        var (screened, plan) = Run(planner, On0(q), On0(q));
        Assert.Equal([0], screened.Accepted);
        Assert.Equal(1, screened.Duplicates);
        Assert.Single(plan.Users["Q1"]);

        var (again, later) = Run(planner, On0(q), On0(Ev.Query("Q2", Ev.Monday10.AddMinutes(1), id: "e-2")));
        Assert.Equal([1], again.Accepted);
        Assert.Equal(1, again.Duplicates);
        Assert.False(later.Users.ContainsKey("Q1"));
    }

    [Fact]
    public void An_event_the_time_guard_refuses_is_rejected_with_its_reason_and_routed_nowhere()
    {
        var planner = new BatchPlanner(Settings);
        var ahead = Ev.Query("Q9", Ev.Monday10.AddDays(30), id: "ahead");
        var (screened, plan) = Run(planner, Ev.Monday10, On0(Ev.Query("Q1", id: "ok")), On0(ahead));
        Assert.Equal([0], screened.Accepted);
        var (index, reason) = Assert.Single(screened.Rejected);
        Assert.Equal(1, index);
        Assert.Contains("ahead of the clock", reason);
        Assert.False(plan.Users.ContainsKey("Q9"));
    }

    [Fact]
    public void A_successful_query_reaches_its_branch_and_every_branch_above_a_failed_login_only_its_own()
    {
        var planner = new BatchPlanner(Settings);
        planner.LearnBranch("SB01", "HQ");
        var query = Ev.Query("Q1", branch: "SB0101") with { ParentBranchId = "SB01" };
        var login = new QueryLogEvent
        {
            EventId = "login-1", UserId = "Q2", BranchId = "SB0102", ParentBranchId = "SB01", Type = EventType.Login,
            Outcome = Outcome.Failed, OccurredAt = Ev.Monday10.AddMinutes(1),
        };
        var failed = Ev.Query("Q3", Ev.Monday10.AddMinutes(2), branch: "SB0103", outcome: Outcome.Denied);
        var (_, plan) = Run(planner, On0(query), On0(login), On0(failed));
        Assert.Equal(["SB0101", "SB01", "HQ", "SB0102"], plan.Branches.Keys);
        Assert.Equal([query.EventId], plan.Branches["HQ"].Select(e => e.EventId));
        Assert.Equal([login.EventId], plan.Branches["SB0102"].Select(e => e.EventId));
        Assert.Equal(["Q1", "Q2", "Q3"], plan.Users.Keys);
    }

    [Fact]
    public void An_employee_gets_an_accounts_first_event_of_the_day_and_everything_once_a_second_account_shows()
    {
        var planner = new BatchPlanner(Settings);
        var first = Ev.Query("Q1") with { EmployeeId = "E1" };
        var second = Ev.Query("Q1", Ev.Monday10.AddMinutes(5)) with { EmployeeId = "E1" };
        var other = Ev.Query("Q1b", Ev.Monday10.AddMinutes(6)) with { EmployeeId = "E1" };
        var third = Ev.Query("Q1", Ev.Monday10.AddMinutes(7)) with { EmployeeId = "E1" };
        var (_, plan) = Run(planner, On0(first), On0(second), On0(other), On0(third));
        Assert.Equal([first.EventId, other.EventId, third.EventId], plan.Employees["E1"].Select(e => e.EventId));
    }

    [Fact]
    public void A_query_with_a_subject_goes_to_the_subjects_share()
    {
        var planner = new BatchPlanner(Settings);
        var q = Ev.Query("Q1") with { SubjectId = "customer-42" };
        var plain = Ev.Query("Q2", Ev.Monday10.AddMinutes(1)) with { SubjectId = null };
        var (_, plan) = Run(planner, On0(q), On0(plain));
        var (share, events) = Assert.Single(plan.Subjects);
        Assert.Equal(SubjectMonitor.ShareOf(q, BatchPlanner.SubjectShares), share);
        Assert.Equal([q.EventId], events.Select(e => e.EventId));
    }

    [Fact]
    public void A_subject_first_read_in_another_branchs_line_is_marked_foreign_but_not_one_read_above_or_below()
    {
        var planner = new BatchPlanner(Settings);
        var origin = Ev.Query("Q1", branch: "SB0101") with { ParentBranchId = "SB01", SubjectId = "customer-42" };
        var below = Ev.Query("Q2", Ev.Monday10.AddMinutes(1), branch: "SB010101") with { ParentBranchId = "SB0101", SubjectId = "customer-42" };
        var foreign = Ev.Query("Q3", Ev.Monday10.AddMinutes(2), branch: "SB0201") with { ParentBranchId = "SB02", SubjectId = "customer-42" };
        var (_, plan) = Run(planner, On0(origin), On0(below), On0(foreign));
        Assert.False(plan.Users["Q1"][0].SubjectFirstSeenElsewhere);
        Assert.False(plan.Users["Q2"][0].SubjectFirstSeenElsewhere);
        Assert.True(plan.Users["Q3"][0].SubjectFirstSeenElsewhere);
        Assert.True(plan.Subjects.Values.Single()[2].SubjectFirstSeenElsewhere);
    }

    [Fact]
    public void A_day_end_goes_to_every_user_and_branch_active_that_day_even_without_events_and_to_no_one_else()
    {
        var planner = new BatchPlanner(Settings);
        Run(planner, On0(Ev.Query("Q1", branch: "SB0101")), On0(Ev.Query("Q2", Ev.Monday10.AddMinutes(1), branch: "SB0102")));
        var tuesday = Ev.Monday10.AddHours(18); // 04:00 the next local day, past midnight and the allowed lateness
        var next = Enumerable.Range(0, 6).Select(i => On0(Ev.Query($"Q{10 + i}", tuesday.AddMinutes(i), branch: "SB0103"))).ToArray();
        var (_, segments) = Segments(planner, next);
        // Event time is the third user's time (one early-dated event does not end a day): Q12 closes Monday.
        Assert.Equal(2, segments.Count);
        var plan = segments[0];
        Assert.Equal(["Q1", "Q10", "Q11", "Q12", "Q2"], plan.Users.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(plan.Ended);
        Assert.Equal(Settings.AllowedLateness, plan.Ended!.At - Ev.At(2026, 3, 3, 0));
        Assert.Empty(plan.Users["Q1"]);
        Assert.Empty(plan.Users["Q2"]);
        Assert.NotNull(plan.EndForUser("Q1"));
        Assert.NotNull(plan.EndForBranch("SB0102"));
        Assert.Empty(plan.Branches["SB0101"]);
        Assert.Null(plan.EndForUser("Q10"));
        Assert.Null(plan.EndForBranch("SB0103"));
        Assert.Equal(["Q13", "Q14", "Q15"], segments[1].Users.Keys);
        Assert.Null(segments[1].Ended);
        Assert.Null(Run(planner, On0(Ev.Query("Q20", tuesday.AddMinutes(10)))).Plan.Ended); // told once
    }

    [Fact]
    public void Each_entity_gets_the_same_events_and_day_ends_in_the_same_order_however_the_stream_is_cut_into_batches()
    {
        var events = TwoSources.Make(4, seed: 5).ToArray();
        string Deliveries(int batchSize)
        {
            var planner = new BatchPlanner(Settings);
            var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var chunk in events.Chunk(batchSize))
                foreach (var plan in Segments(planner, chunk).Segments)
                    foreach (var (user, part) in plan.Users)
                    {
                        if (!seen.TryGetValue(user, out var list)) seen[user] = list = [];
                        list.AddRange(part.Select(e => e.EventId));
                        if (plan.EndForUser(user) is { } end) list.Add($"end {end.Day}");
                    }
            return string.Join("\n", seen.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + ": " + string.Join(",", s.Value)));
        }
        var one = Deliveries(1);
        Assert.Contains("end ", one);
        Assert.Equal(one, Deliveries(7));
        Assert.Equal(one, Deliveries(1000));
    }

    [Fact]
    public void A_segment_stops_before_the_first_event_of_a_day_the_models_are_not_trained_for()
    {
        var planner = new BatchPlanner(Settings);
        var monday = Enumerable.Range(0, 3).Select(i => On0(Ev.Query($"Q{i}", Ev.Monday10.AddMinutes(i)))).ToArray();
        var tuesday = Enumerable.Range(0, 3).Select(i => On0(Ev.Query($"Q{i}", Ev.Monday10.AddDays(1).AddMinutes(i)))).ToArray();
        (QueryLogEvent, int)[] batch = [.. monday, .. tuesday];
        var screened = planner.Screen(batch.Length, i => batch[i], Ev.Monday10.AddDays(2));
        var mondayNumber = planner.DayOf(Ev.Monday10);
        var first = planner.Plan(i => batch[i], screened, 0, trainedThrough: mondayNumber);
        Assert.Equal(mondayNumber + 1, first.Reaches);
        Assert.Equal(5, first.Next); // Tuesday is the stream's day once three users reached it: Q2's Tuesday query
        var rest = planner.Plan(i => batch[i], screened, first.Next, trainedThrough: mondayNumber + 1);
        Assert.Null(rest.Reaches);
        Assert.Equal(["Q2"], rest.Users.Where(u => u.Value.Count > 0).Select(u => u.Key));
        Assert.Equal(mondayNumber, rest.Ended?.Day); // and Monday is over with it
    }

    [Fact]
    public void A_restored_planner_remembers_everything_and_routes_the_rest_of_the_stream_alike()
    {
        var events = TwoSources.Make(3, seed: 7)
            .Select(x => (x.Event with { EmployeeId = "E" + x.Event.UserId[^1], ParentBranchId = "SB01" }, x.Source)).ToList();
        var cut = events.Count / 2;
        var original = new BatchPlanner(Settings);
        original.LearnBranch("SB01", "HQ");
        foreach (var chunk in events.Take(cut).Chunk(25)) Segments(original, chunk);

        var fresh = new BatchPlanner(Settings);
        Assert.Empty(StateComparer.RoundTrip(original, fresh));
        foreach (var chunk in events.Take(cut + 10).Concat(events.Skip(cut)).Chunk(25))
        {
            var (a, pa) = Segments(original, chunk);
            var (b, pb) = Segments(fresh, chunk);
            Assert.Equal(a.Accepted, b.Accepted);
            Assert.Equal(a.Duplicates, b.Duplicates);
            Assert.Equal(pa.Select(Describe), pb.Select(Describe));
        }
    }

    private static string Describe(BatchPlan plan) => string.Join("|",
        new[] { plan.Users, plan.Branches, plan.Employees, plan.Subjects }.Select(parts =>
            string.Join(";", parts.Select(p => p.Key + ":" + string.Join(",", p.Value.Select(e => e.EventId + (e.SubjectFirstSeenElsewhere ? "*" : "")))))))
        + "|" + (plan.Ended is { } e ? $"{e.Day}@{e.At:O}:{string.Join(",", e.Users.Order())}:{string.Join(",", e.Branches.Order())}" : "");
}
