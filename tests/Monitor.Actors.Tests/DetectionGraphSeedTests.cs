using Akka.TestKit.Xunit2;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Messages;
using Monitor.Testing;
using Xunit;

namespace Monitor.Actors.Tests;

/// <summary>
/// <see cref="DetectionGraph.SeedAccountsAsync"/>: the seed reaches the user and employee actors (and runs no rule),
/// so the first batch after it is judged on the imported history.
/// </summary>
public sealed class DetectionGraphSeedTests : TestKit
{
    private static readonly DateTimeOffset Day = Ev.Monday10;

    private DetectionGraph Graph() => DetectionGraph.Start(DetectorContext.Default().Current, new FixedClock(Day.AddHours(1)), Sys);

    private static AccountSeed Account(string user, string employee, UserRole role, DateTimeOffset lastQuery, DateTimeOffset password) =>
        new(user, employee, role, "SB0101", "BR0100", AccountDirectoryStatus.Active, Day.AddDays(-800), password, lastQuery);

    [Fact]
    public async Task Seeded_graph_judges_the_first_queries_on_the_imported_history()
    {
        await using var graph = Graph();
        await graph.SeedAccountsAsync([
            Account("QIDLE", "E1", UserRole.QueryOperator, Day.AddDays(-100), Day.AddDays(-5)),
            Account("QOLD", "E2", UserRole.QueryOperator, Day.AddDays(-1), Day.AddDays(-300)),
            Account("UA9", "E3", UserRole.UserAdmin, Day.AddDays(-2), Day.AddDays(-5)),
            Account("Q9", "E3", UserRole.QueryOperator, Day.AddDays(-2), Day.AddDays(-5)),
        ]);
        var events = new[] { "QIDLE", "QOLD", "Q9" }.Select((u, i) => new IngestedEvent(Ev.Query(u, Day.AddMinutes(i)) with { EmployeeId = u switch { "QIDLE" => "E1", "QOLD" => "E2", _ => "E3" } }, 0)).ToList();
        var result = await graph.ProcessAsync(events);
        Assert.Equal(["DORMANT_ACCOUNT QIDLE", "PASSWORD_AGE QOLD", "ROLE_CONFLICT E3"],
            result.Alerts.Where(a => a.Rule is RuleIds.DormantAccount or RuleIds.PasswordAge or RuleIds.RoleConflict).Select(a => $"{a.Rule} {a.EntityId}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_the_seed_the_same_queries_raise_none_of_them()
    {
        await using var graph = Graph();
        var events = new[] { "QIDLE", "QOLD", "Q9" }.Select((u, i) => new IngestedEvent(Ev.Query(u, Day.AddMinutes(i)), 0)).ToList();
        var result = await graph.ProcessAsync(events);
        Assert.DoesNotContain(result.Alerts, a => a.Rule is RuleIds.DormantAccount or RuleIds.PasswordAge or RuleIds.RoleConflict);
    }
}
