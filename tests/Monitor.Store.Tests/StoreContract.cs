using System.Data.Common;
using Monitor.Testing;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>What the alert store promises, whichever database is behind it; run against SQLite and a real PostgreSQL.</summary>
public abstract partial class StoreContract
{
    protected FixedClock Clock { get; } = new(Ev.At(2026, 3, 2, 11));

    /// <summary>A location for a new, empty store.</summary>
    protected abstract Task<string> NewLocationAsync();

    /// <summary>A raw connection to the store's database, around the store's API.</summary>
    protected abstract DbConnection Raw(string location);

    private async Task<(AlertStore Store, string Location)> NewAsync()
    {
        var location = await NewLocationAsync();
        return (await AlertStore.OpenAsync(location, Clock), location);
    }

    [Fact]
    public async Task A_newer_revision_replaces_the_alert_and_an_older_one_does_not_while_the_officers_state_stays()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1")], [], []);
        await store.TransitionAsync("al-1", AlertStates.Acknowledged, Samples.Officer, null);
        await store.RecordAsync([Samples.Alert("al-1", revision: 3)], [], []);
        await store.RecordAsync([Samples.Alert("al-1", revision: 2)], [], []);
        var a = (await store.AlertAsync("al-1"))!;
        Assert.Equal(3, a.Alert.Revision);
        Assert.Equal("revision 3", a.Alert.Explanation);
        Assert.Equal(AlertStates.Acknowledged, a.State);
        Assert.Equal("officer-wang", a.StateBy);
    }

    [Fact]
    public async Task A_suspension_is_sent_once_however_often_it_is_redelivered_and_resent_until_confirmed()
    {
        var (store, _) = await NewAsync();
        var cmd = Samples.Suspend("al-1");
        Assert.Equal([cmd.CommandId], (await store.RecordAsync([Samples.Alert("al-1")], [cmd], [])).ToSend.Select(c => c.CommandId));
        // not confirmed sent (a crash before the brokers acknowledged): the redelivery sends it again
        Assert.Single((await store.RecordAsync([], [cmd], [])).ToSend);
        Assert.Equal([cmd.CommandId], (await store.UnsentAsync()).Select(c => c.CommandId));
        await store.MarkSentAsync([cmd.CommandId]);
        Assert.Empty((await store.RecordAsync([], [cmd], [])).ToSend);
        Assert.Empty(await store.UnsentAsync());
        Assert.Single(await store.CommandsAsync("UA0101"));
    }

    [Fact]
    public async Task A_user_already_suspended_is_not_suspended_again_for_another_incident_even_by_a_restarted_monitor()
    {
        var (store, location) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1")], [Samples.Suspend("al-1")], []);
        var reopened = await AlertStore.OpenAsync(location, Clock);
        var second = await reopened.RecordAsync([Samples.Alert("al-2")], [Samples.Suspend("al-2")], []);
        Assert.Empty(second.ToSend);
        Assert.Equal(["al-2"], second.AlreadyInForce.Single().AlertIds);
        var s = Assert.Single(await reopened.SuspensionsAsync(active: true));
        Assert.Equal(Samples.Suspend("al-1").CommandId, s.CommandId);
    }

    [Fact]
    public async Task Reinstating_ends_the_suspension_records_an_unsent_reinstate_command_and_a_new_incident_suspends_again()
    {
        var (store, _) = await NewAsync();
        var suspend = Samples.Suspend("al-1");
        await store.RecordAsync([Samples.Alert("al-1")], [suspend], []);
        await store.MarkSentAsync([suspend.CommandId]);
        Clock.Now = Ev.At(2026, 3, 2, 15);
        var done = await store.ReinstateAsync("UA0101", Samples.Officer, "the branch verified a sanctioned audit");
        var reinstate = done.Value!;
        Assert.Equal("reinstate", reinstate.Action);
        Assert.Equal(["al-1"], reinstate.AlertIds);
        Assert.Equal(Ev.At(2026, 3, 2, 15), reinstate.IssuedAt);
        Assert.Contains("officer-wang", reinstate.Reason);
        Assert.Equal([reinstate.CommandId], (await store.UnsentAsync()).Select(c => c.CommandId));
        var ended = Assert.Single(await store.SuspensionsAsync(active: false));
        Assert.Equal("the branch verified a sanctioned audit", ended.EndedReason);
        Assert.NotNull((await store.ReinstateAsync("UA0101", Samples.Officer, "again")).NotFound);
        Assert.Single((await store.RecordAsync([Samples.Alert("al-2")], [Samples.Suspend("al-2")], [])).ToSend);
    }

    [Fact]
    public async Task Alerts_move_open_acknowledged_confirmed_and_verdicts_become_labels()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1"), Samples.Alert("al-2", user: "Q1"), Samples.Alert("al-3", user: "Q2")], [], []);
        Assert.NotNull((await store.TransitionAsync("al-1", AlertStates.Acknowledged, Samples.Officer, null)).Value);
        Assert.NotNull((await store.TransitionAsync("al-1", AlertStates.Confirmed, Samples.Officer, "admin read 3 reports")).Value);
        Assert.Contains("a dismissal needs a reason", (await store.TransitionAsync("al-2", AlertStates.Dismissed, Samples.Officer, " ")).Conflict);
        Assert.NotNull((await store.TransitionAsync("al-2", AlertStates.Dismissed, Samples.Officer, "test account of the vendor")).Value);
        Assert.NotNull((await store.TransitionAsync("al-2", AlertStates.Confirmed, Samples.Officer, "changed my mind")).Conflict);
        Assert.NotNull((await store.TransitionAsync("al-1", AlertStates.Acknowledged, Samples.Officer, null)).Conflict);
        Assert.NotNull((await store.TransitionAsync("nope", AlertStates.Acknowledged, Samples.Officer, null)).NotFound);
        Assert.Equal([("al-1", "violation"), ("al-2", "false_positive")], (await store.LabelsAsync(null)).Select(l => (l.AlertId, l.Verdict)));
        Assert.Equal(["al-3"], (await store.AlertsAsync(new AlertFilter { State = AlertStates.Open })).Select(a => a.Alert.AlertId));
    }

    [Fact]
    public async Task Judged_alerts_are_the_confirmed_and_dismissed_ones_in_the_time_span_without_a_limit()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([
            Samples.Alert("al-1", at: Ev.At(2026, 3, 2, 9)),
            Samples.Alert("al-2", user: "Q1", rule: "OFF_HOURS", severity: "medium", at: Ev.At(2026, 3, 2, 22)),
            Samples.Alert("al-3", user: "Q1", rule: "NO_AUTHORIZATION", severity: "high", at: Ev.At(2026, 3, 3, 10)),
            Samples.Alert("al-4", user: "Q2", rule: "OFF_HOURS", severity: "medium", at: Ev.At(2026, 3, 4, 22)),
            Samples.Alert("al-5", user: "Q3", rule: "OFF_HOURS", severity: "medium", at: Ev.At(2026, 3, 3, 22)),
        ], [], []);
        await store.TransitionAsync("al-1", AlertStates.Confirmed, Samples.Officer, "admin read 3 reports");
        await store.TransitionAsync("al-2", AlertStates.Dismissed, Samples.Officer, "night shift approved");
        await store.TransitionAsync("al-3", AlertStates.Acknowledged, Samples.Officer, null);
        await store.TransitionAsync("al-4", AlertStates.Confirmed, Samples.Officer, "no reason to work at night");
        Assert.Equal([("al-1", AlertStates.Confirmed), ("al-2", AlertStates.Dismissed), ("al-4", AlertStates.Confirmed)],
            (await store.JudgedAlertsAsync()).Select(a => (a.Alert.AlertId, a.State)));
        Assert.Equal(["al-2"], (await store.JudgedAlertsAsync(Ev.At(2026, 3, 2, 22), Ev.At(2026, 3, 4, 21))).Select(a => a.Alert.AlertId));
        Assert.Equal(["al-1", "al-2", "al-4"], (await store.JudgedAlertsAsync(to: Ev.At(2026, 3, 4, 22))).Select(a => a.Alert.AlertId));
    }

    [Fact]
    public async Task Alerts_filter_by_user_rule_severity_and_time()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([
            Samples.Alert("al-1", at: Ev.At(2026, 3, 2, 9)),
            Samples.Alert("al-2", user: "Q1", rule: "OFF_HOURS", severity: "medium", at: Ev.At(2026, 3, 2, 22)),
            Samples.Alert("al-3", user: "Q1", rule: "NO_AUTHORIZATION", severity: "high", at: Ev.At(2026, 3, 3, 10)),
        ], [], []);
        Assert.Equal(["al-3", "al-2"], (await store.AlertsAsync(new AlertFilter { User = "Q1" })).Select(a => a.Alert.AlertId));
        Assert.Equal(["al-2"], (await store.AlertsAsync(new AlertFilter { Rule = "OFF_HOURS" })).Select(a => a.Alert.AlertId));
        Assert.Equal(["al-3"], (await store.AlertsAsync(new AlertFilter { Severity = "high" })).Select(a => a.Alert.AlertId));
        Assert.Equal(["al-2", "al-1"], (await store.AlertsAsync(new AlertFilter { From = Ev.At(2026, 3, 2, 0), To = Ev.At(2026, 3, 3, 0) })).Select(a => a.Alert.AlertId));
        Assert.Equal(["al-3"], (await store.AlertsAsync(new AlertFilter { Limit = 1 })).Select(a => a.Alert.AlertId));
    }

    [Fact]
    public async Task Every_state_change_is_audited_and_the_database_refuses_to_alter_the_audit_log()
    {
        var (store, location) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1")], [Samples.Suspend("al-1")], ["SB0101"]);
        await store.TransitionAsync("al-1", AlertStates.Confirmed, Samples.Officer, "confirmed with the branch");
        await store.ReinstateAsync("UA0101", Samples.Officer, "verified");
        await store.ReopenAsync("SB0101", Samples.Officer, "feed fixed");
        var audit = await store.AuditAsync();
        Assert.Equal(["suspend", "valve-shut", "confirm", "reinstate", "valve-reopen"], audit.Select(a => a.Action));
        Assert.Equal(["monitor", "monitor", "officer-wang", "officer-wang", "officer-wang"], audit.Select(a => a.Actor));
        Assert.Equal("verified", audit[3].Reason);
        await using var c = Raw(location);
        await c.OpenAsync();
        foreach (var sql in new[] { "UPDATE audit SET actor = 'nobody'", "DELETE FROM audit" })
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            var e = await Assert.ThrowsAnyAsync<DbException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Contains("append-only", e.Message);
        }
        Assert.Equal(5, (await store.AuditAsync()).Count);
    }

    [Fact]
    public async Task The_safety_valve_state_survives_a_restart_until_an_officer_reopens_the_branch()
    {
        var (store, location) = await NewAsync();
        await store.RecordAsync([], [], ["SB0101"]);
        await store.RecordAsync([], [], ["SB0101"]);
        Assert.Equal(["SB0101"], await (await AlertStore.OpenAsync(location, Clock)).ShutBranchesAsync());
        Assert.NotNull((await store.ReopenAsync("SB0101", Samples.Officer, "threshold fixed")).Value);
        Assert.Empty(await store.ShutBranchesAsync());
        Assert.NotNull((await store.ReopenAsync("SB0101", Samples.Officer, "again")).NotFound);
        Assert.Single(await store.AuditAsync(), a => a.Action == "valve-shut");
    }
}
