using Monitor.Contracts;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Settings;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>
/// Suppressions with a start (the analysts' through the API, kept in the alert store) beside the settings file's:
/// each covers its own event time only, several may cover one rule and entity, and the store's reach the
/// detectors in the same snapshot as the file's settings.
/// </summary>
public sealed class StoredSuppressionTests
{
    private static readonly DateTimeOffset Made = Ev.At(2026, 3, 3, 9);
    private static readonly DateTimeOffset Ends = Ev.At(2026, 3, 4, 18);

    private static Suppression Stored(string entity = "Q1", DateTimeOffset? from = null, DateTimeOffset? until = null, long id = 7) => new()
    {
        Rule = RuleIds.NoAuthorization, EntityType = "user", EntityId = entity, From = from ?? Made, Until = until ?? Ends,
        Reason = "pilot of the new authorization flow", By = "analyst-li", StoreId = id,
    };

    private static Finding Finding(DateTimeOffset at, string entity = "Q1", string rule = RuleIds.NoAuthorization) =>
        new(rule, EntityKind.User, entity, entity, "SB0101", Severity.High, at, "ev-" + at.ToUnixTimeSeconds(), Texts.Phrase.Literal("no authorization"));

    private static QueryLogEvent Unauthorised(string user, DateTimeOffset at) =>
        Ev.Query(user, at) with { AuthorizationId = null, AuthorizedAt = null, EventId = $"ev-{user}-{at.ToUnixTimeSeconds()}" };

    [Fact]
    public void A_suppression_with_a_start_covers_from_its_start_up_to_not_including_its_end()
    {
        var list = new SuppressionList([Stored()]);
        Assert.Null(list.Covering(Finding(Made.AddTicks(-1))));
        Assert.NotNull(list.Covering(Finding(Made)));
        Assert.NotNull(list.Covering(Finding(Ends.AddTicks(-1))));
        Assert.Null(list.Covering(Finding(Ends)));
        Assert.Null(list.Covering(Finding(Made.AddHours(1), entity: "Q2")));
        Assert.Null(list.Covering(Finding(Made.AddHours(1), rule: RuleIds.OffHours)));
    }

    [Fact]
    public void Several_entries_of_one_rule_and_entity_each_cover_their_own_time_and_an_empty_one_covers_nothing()
    {
        var ended = Stored(until: Made.AddHours(2), id: 1); // ended early, two hours after it was made
        var later = Stored(from: Ends.AddDays(1), until: Ends.AddDays(2), id: 2);
        var empty = Stored(from: Ends, until: Ends, id: 3);
        var list = new SuppressionList([ended, later, empty]);
        Assert.Equal(1, list.Covering(Finding(Made.AddHours(1)))!.StoreId);
        Assert.Null(list.Covering(Finding(Made.AddHours(3))));
        Assert.Equal(2, list.Covering(Finding(Ends.AddDays(1).AddHours(1)))!.StoreId);
        Assert.Equal([1L, 2L], list.Entries.Select(e => e.StoreId!.Value));
    }

    [Fact]
    public void The_stored_suppressions_join_the_settings_files_and_replace_the_stored_ones_before()
    {
        var file = new Suppression { Rule = RuleIds.OffHours, EntityType = "user", EntityId = "Q9", Until = Ends, Reason = "night project", By = "li" };
        var snapshot = DetectorSnapshot.Load(new DetectionSettings { Suppressions = [file] });
        var with = snapshot.WithStored([Stored()]);
        Assert.Same(snapshot.Settings, with.Settings);
        Assert.Same(snapshot.Policies, with.Policies);
        Assert.Same(snapshot.Calendar, with.Calendar);
        Assert.Equal([file, Stored()], with.Suppressions.Entries);
        var replaced = with.WithStored([Stored(entity: "Q2")]);
        Assert.Equal(["Q9", "Q2"], replaced.Suppressions.Entries.Select(e => e.EntityId));
        Assert.Empty(snapshot.Stored);
    }

    [Fact]
    public void Put_in_force_while_running_a_stored_suppression_silences_findings_of_its_time_only()
    {
        var h = new Harness();
        h.Context.Use(h.Context.Current.WithStored([Stored()]));
        h.Feed(Unauthorised("Q1", Ev.At(2026, 3, 2, 10)));  // the day before it was made: alert
        h.Feed(Unauthorised("Q1", Ev.At(2026, 3, 3, 10)));  // covered
        h.Feed(Unauthorised("Q2", Ev.At(2026, 3, 3, 10)));  // another user: alert
        h.Feed(Unauthorised("Q1", Ev.At(2026, 3, 4, 17)));  // covered
        h.Feed(Unauthorised("Q1", Ev.At(2026, 3, 5, 10)));  // after it ended: alert
        Assert.Equal(["Q1 2026-03-02", "Q2 2026-03-03", "Q1 2026-03-05"], h.Alerts(RuleIds.NoAuthorization).Select(a => $"{a.UserId} {a.Day}"));
    }

    [Fact]
    public void A_settings_file_entry_may_give_a_start_which_must_come_before_its_end()
    {
        var ok = SettingsLoader.Parse("""
            { "suppressions": [{ "rule": "OFF_HOURS", "entityType": "user", "entityId": "Q1", "from": "2026-03-01T00:00:00+08:00",
                                 "until": "2026-04-01T00:00:00+08:00", "reason": "night project", "by": "li" }] }
            """);
        Assert.Equal(Ev.At(2026, 3, 1, 0), ok.Suppressions[0].From);
        var e = Assert.Throws<SettingsException>(() => SettingsLoader.Parse("""
            { "suppressions": [{ "rule": "OFF_HOURS", "entityType": "user", "entityId": "Q1", "from": "2026-04-01T00:00:00+08:00",
                                 "until": "2026-04-01T00:00:00+08:00", "reason": "night project", "by": "li" }] }
            """));
        Assert.StartsWith("settings: suppressions[0].from:", e.Message);
        var id = Assert.Throws<SettingsException>(() => SettingsLoader.Parse("""
            { "suppressions": [{ "rule": "OFF_HOURS", "entityType": "user", "entityId": "Q1", "until": "2026-04-01T00:00:00+08:00",
                                 "reason": "night project", "by": "li", "storeId": 3 }] }
            """));
        Assert.Contains("not a known setting", id.Message);
    }
}
