using Monitor.Contracts;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>
/// The analysts' suppressions, whichever database: made with a reason and an expiry, listed in force or all,
/// ended early, each step an audit row in the chain; one in force per rule and entity; kept across a reopen.
/// </summary>
public abstract partial class StoreContract
{
    private static readonly Actor Analyst = new("analyst-li", "analyst");

    private NewSuppression Night(string user = "Q1", int days = 7) =>
        new(RuleIds.OffHours, "user", user, "night shift project approved by compliance", Clock.GetUtcNow().AddDays(days));

    [Fact]
    public async Task A_suppression_is_made_listed_and_ended_early_each_step_an_audit_row_in_an_intact_chain()
    {
        var (store, _) = await NewAsync();
        var made = (await store.SuppressAsync(Night(), Analyst)).Value!;
        Assert.Equal((RuleIds.OffHours, "user", "Q1", "analyst-li", StoredSuppression.Active), (made.Rule, made.EntityType, made.EntityId, made.CreatedBy, made.State));
        Assert.Equal(Clock.GetUtcNow(), made.CreatedAt);
        Assert.Equal(made, Assert.Single(await store.SuppressionsAsync()));
        Assert.Equal(made, await store.SuppressionAsync(made.Id));

        Clock.Now = Clock.Now.AddHours(2);
        var ended = (await store.EndSuppressionAsync(made.Id, Analyst, "the project ended")).Value!;
        Assert.Equal(("analyst-li", Clock.GetUtcNow(), "the project ended", StoredSuppression.Ended), (ended.EndedBy, ended.EndedAt, ended.EndedReason, ended.State));
        Assert.Equal(Clock.GetUtcNow(), ended.Ends);
        Assert.Empty(await store.SuppressionsAsync());
        Assert.Equal(ended, Assert.Single(await store.SuppressionsAsync(all: true)));

        var audit = await store.AuditAsync();
        Assert.Equal(["suppression-create", "suppression-end"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("analyst-li", "analyst", "OFF_HOURS/user/Q1"), (a.Actor, a.Role, a.Target)));
        Assert.Equal("night shift project approved by compliance", audit[0].Reason);
        Assert.Equal($"suppression {made.Id}; until {made.Until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}", audit[0].Detail);
        Assert.Equal("the project ended", audit[1].Reason);
        Assert.True((await store.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task One_suppression_is_in_force_per_rule_and_entity_and_a_new_one_may_follow_once_it_ended()
    {
        var (store, _) = await NewAsync();
        var first = (await store.SuppressAsync(Night(), Analyst)).Value!;
        var again = await store.SuppressAsync(Night(days: 30), Analyst);
        Assert.Null(again.Value);
        Assert.StartsWith($"suppression {first.Id} already covers OFF_HOURS on user Q1", again.Conflict);
        Assert.NotNull((await store.SuppressAsync(Night(user: "Q2"), Analyst)).Value);
        Assert.NotNull((await store.SuppressAsync(Night() with { Rule = RuleIds.VolumeSpike }, Analyst)).Value);

        await store.EndSuppressionAsync(first.Id, Analyst, "replaced by a longer one");
        var second = (await store.SuppressAsync(Night(days: 30), Analyst)).Value!;
        Assert.True(second.Id > first.Id);
        Assert.Equal(3, (await store.SuppressionsAsync()).Count);
        Assert.Equal(4, (await store.SuppressionsAsync(all: true)).Count);
        Assert.Equal(5, (await store.AuditAsync()).Count); // four made and one ended: the refused one wrote nothing
    }

    [Fact]
    public async Task Ending_an_unknown_ended_or_expired_suppression_and_making_one_that_has_expired_already_are_refused()
    {
        var (store, _) = await NewAsync();
        Assert.Equal("no suppression 41", (await store.EndSuppressionAsync(41, Analyst, "why")).NotFound);
        Assert.NotNull((await store.SuppressAsync(Night(days: 0), Analyst)).Conflict);

        var ended = (await store.SuppressAsync(Night(), Analyst)).Value!;
        await store.EndSuppressionAsync(ended.Id, Analyst, "done");
        Assert.StartsWith($"suppression {ended.Id} was already ended by analyst-li", (await store.EndSuppressionAsync(ended.Id, Analyst, "again")).Conflict);

        var expires = (await store.SuppressAsync(Night(user: "Q2", days: 1), Analyst)).Value!;
        Clock.Now = Clock.Now.AddDays(2);
        Assert.Equal(StoredSuppression.Expired, (await store.SuppressionAsync(expires.Id))!.State);
        Assert.StartsWith($"suppression {expires.Id} expired at", (await store.EndSuppressionAsync(expires.Id, Analyst, "late")).Conflict);
        Assert.Empty(await store.SuppressionsAsync());
        Assert.Equal(3, (await store.AuditAsync()).Count);
    }

    [Fact]
    public async Task Suppressions_outlive_a_reopen_and_a_store_made_before_them_gets_their_table()
    {
        var (store, location) = await NewAsync();
        await RawAsync(location, "DROP TABLE suppressions"); // as a store of an earlier version
        var reopened = await AlertStore.OpenAsync(location, Clock);
        var made = (await reopened.SuppressAsync(Night(), Analyst)).Value!;
        var again = await AlertStore.OpenAsync(location, Clock);
        Assert.Equal(made, Assert.Single(await again.SuppressionsAsync()));
    }
}
