using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>The officers' casework (notes, assignments) and the console's reads of the store, whichever database.</summary>
public abstract partial class StoreContract
{
    private static Alert At(string id, string user, string branch, string day, string rule = "VOLUME_SPIKE", string entityType = "user") => Samples.Alert(id, user: user, rule: rule) with
    {
        BranchId = branch, Day = day, EntityType = entityType, EntityId = entityType == "branch" ? branch : user, UserId = entityType == "branch" ? null : user,
    };

    [Fact]
    public async Task Notes_are_kept_in_order_each_in_the_audit_log_and_a_note_on_an_unknown_alert_changes_nothing()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1"), Samples.Alert("al-2")], [], []);
        var first = (await store.AddNoteAsync("al-1", "called the branch", Samples.Officer)).Value!;
        await store.AddNoteAsync("al-2", "第二条备注", new Actor("officer-li", "officer"));
        Assert.Equal("no alert al-9", (await store.AddNoteAsync("al-9", "lost", Samples.Officer)).NotFound);

        var notes = await store.NotesAsync(["al-1", "al-2", "al-9"]);
        Assert.Equal([("al-1", "called the branch", "officer-wang"), ("al-2", "第二条备注", "officer-li")], notes.Select(n => (n.AlertId, n.Text, n.By)));
        Assert.Equal(first.Id + 1, notes[1].Id);
        Assert.Equal(Clock.GetUtcNow(), first.At);
        var audit = await store.SearchAuditAsync(new AuditQuery { Action = "note" });
        Assert.Equal([("al-2", "第二条备注"), ("al-1", "called the branch")], audit.Entries.Select(e => (e.Target, e.Reason)));
        Assert.True((await store.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task A_case_is_assigned_in_one_go_a_reassignment_names_the_previous_officer_and_an_unknown_alert_assigns_none()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1"), Samples.Alert("al-2")], [], []);
        Assert.Equal("no alert al-9", (await store.AssignAsync(["al-1", "al-9"], "officer-li", Samples.Officer, null)).NotFound);
        Assert.Empty(await store.AssignmentsAsync(["al-1", "al-2"]));

        Assert.Equal(2, (await store.AssignAsync(["al-1", "al-2"], "officer-li", Samples.Officer, "周末值班")).Value!.Count);
        await store.AssignAsync(["al-1", "al-2"], "officer-li", Samples.Officer, null); // already hers: nothing to record
        await store.AssignAsync(["al-2"], "officer-zhou", Samples.Officer, null);

        var now = await store.AssignmentsAsync(["al-1", "al-2"]);
        Assert.Equal(("officer-li", "officer-zhou"), (now["al-1"].Officer, now["al-2"].Officer));
        var audit = (await store.SearchAuditAsync(new AuditQuery { Action = "assign" })).Entries;
        Assert.Equal(["al-2: to officer-zhou (was officer-li)", "al-2: to officer-li", "al-1: to officer-li"], audit.Select(e => $"{e.Target}: {e.Detail}"));
        Assert.Equal("周末值班", audit[^1].Reason);
    }

    [Fact]
    public async Task The_queue_reads_every_alert_the_filter_and_scope_match_and_which_branch_days_had_an_alert_of_the_branch_itself()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync(
        [
            At("al-u1", "QO1", "SB0101", "2026-03-02"), At("al-u2", "QO2", "SB0101", "2026-03-02"), At("al-b", "", "SB0101", "2026-03-02", entityType: "branch"),
            At("al-u3", "QO3", "SB0102", "2026-03-02", rule: "OFF_HOURS"), At("al-u4", "QO1", "SB0101", "2026-03-03"),
        ], [], []);
        await store.TransitionAsync("al-u2", AlertStates.Dismissed, Samples.Officer, "checked");

        var (open, truncated) = await store.QueueAlertsAsync(new AlertFilter { State = AlertStates.Open, Branches = new HashSet<string> { "SB0101" }, Limit = 1 });
        Assert.False(truncated);
        Assert.Equal(["al-b", "al-u1", "al-u4"], open.Select(a => a.Alert.AlertId).Order());
        Assert.Equal(["al-u3"], (await store.QueueAlertsAsync(new AlertFilter { Rule = "OFF_HOURS" })).Alerts.Select(a => a.Alert.AlertId));
        Assert.Equal([("SB0101", "2026-03-02")], await store.BranchAlertDaysAsync(["2026-03-02", "2026-03-03"]));
        Assert.Equal(["al-b", "al-u1", "al-u2"], (await store.AlertsOfDayAsync("2026-03-02", "SB0101", "QO1")).Select(a => a.Alert.AlertId).Order());
        Assert.Equal(["al-u4"], (await store.AlertsOfDayAsync("2026-03-03", null, "QO1")).Select(a => a.Alert.AlertId));

        var days = await store.RuleDaysAsync("2026-03-02", null, null);
        Assert.Equal([new RuleDay("2026-03-02", "OFF_HOURS", 1), new RuleDay("2026-03-02", "VOLUME_SPIKE", 3), new RuleDay("2026-03-03", "VOLUME_SPIKE", 1)], days);
        Assert.Equal([new RuleDay("2026-03-02", "OFF_HOURS", 1)], await store.RuleDaysAsync(null, "2026-03-02", new HashSet<string> { "SB0102" }));
    }

    [Fact]
    public async Task A_users_reads_per_closed_day_come_from_the_days_recorded_for_the_sheets()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([], [], [], [Day("UA0101", 4), Day("QO0102", 2), Day("UA0101", 9) with { Day = "2026-03-03", BranchId = "SB0102" }]);
        Assert.Equal([new UserReads("2026-03-02", "SB0101", 5), new UserReads("2026-03-03", "SB0102", 10)], await store.UserReadsAsync("UA0101"));
        Assert.Empty(await store.UserReadsAsync("nobody"));
    }

    [Fact]
    public async Task The_audit_log_is_searched_by_time_actor_action_and_the_targets_start_literally_a_page_at_a_time_and_exported_oldest_first()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1"), Samples.Alert("al_2"), Samples.Alert("al%3")], [], []);
        foreach (var id in new[] { "al-1", "al_2", "al%3" }) await store.AddNoteAsync(id, "n " + id, Samples.Officer);
        Clock.Now += TimeSpan.FromHours(2);
        await store.AssignAsync(["al-1"], "officer-li", new Actor("officer-li", "officer"), null);

        var all = await store.SearchAuditAsync(new AuditQuery { Limit = 2 });
        Assert.Equal(4, all.Total);
        Assert.Equal(["assign", "note"], all.Entries.Select(e => e.Action));
        var older = await store.SearchAuditAsync(new AuditQuery { Limit = 2, Before = all.Entries[^1].Seq });
        Assert.Equal(["al_2", "al-1"], older.Entries.Select(e => e.Target));
        Assert.Equal(["al_2"], (await store.SearchAuditAsync(new AuditQuery { Target = "al_" })).Entries.Select(e => e.Target)); // _ is no wildcard
        Assert.Equal(["al%3"], (await store.SearchAuditAsync(new AuditQuery { Target = "al%" })).Entries.Select(e => e.Target));
        Assert.Equal(1, (await store.SearchAuditAsync(new AuditQuery { Actor = "officer-li" })).Total);
        Assert.Equal(3, (await store.SearchAuditAsync(new AuditQuery { To = Clock.GetUtcNow().AddHours(-1) })).Total);
        Assert.Equal(1, (await store.SearchAuditAsync(new AuditQuery { From = Clock.GetUtcNow().AddHours(-1), Action = "assign" })).Total);
        Assert.Equal(["al-1", "al_2", "al%3", "al-1"], (await store.ExportAuditAsync(new AuditQuery { Limit = 1, Before = 2 })).Select(e => e.Target));
    }
}
