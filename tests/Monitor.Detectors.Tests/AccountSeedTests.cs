using Monitor.Contracts;
using Monitor.Detectors.Rules;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>
/// Seeding AccountStatus and EmployeeAccounts from the bank's account directory (import-accounts): the first
/// event after the seed is judged on history the monitor never saw, and seeding twice changes nothing.
/// </summary>
public sealed class AccountSeedTests
{
    private static readonly DateTimeOffset Day = Ev.At(2026, 3, 2, 10);

    private static AccountSeed Account(string user, string employee = "E1", UserRole role = UserRole.QueryOperator,
        AccountDirectoryStatus status = AccountDirectoryStatus.Active, DateTimeOffset? created = null, DateTimeOffset? password = null, DateTimeOffset? lastQuery = null)
    {
        var c = created ?? Day.AddDays(-400);
        return new AccountSeed(user, employee, role, "SB0101", "BR0100", status, c, password ?? Day.AddDays(-10), lastQuery ?? Day.AddDays(-1));
    }

    private static QueryLogEvent Query(string user, string employee = "E1", DateTimeOffset? at = null) => Ev.Query(user, at ?? Day) with { EmployeeId = employee };

    [Fact]
    public void First_query_of_an_account_idle_longer_than_the_limit_is_dormant()
    {
        var h = new Harness().Seed(Account("Q1", lastQuery: Day.AddDays(-200))).Feed(Query("Q1"));
        var alert = Assert.Single(h.LatestOf(RuleIds.DormantAccount));
        Assert.Equal("Q1", alert.EntityId);
        Assert.Contains("after 200 days without a query", alert.Explanation);
    }

    [Fact]
    public void Recently_used_account_is_not_dormant() =>
        Assert.Empty(new Harness().Seed(Account("Q1", lastQuery: Day.AddDays(-3))).Feed(Query("Q1")).Alerts(RuleIds.DormantAccount));

    [Fact]
    public void Account_that_never_queried_counts_idle_from_its_creation()
    {
        var seed = Account("Q1", created: Day.AddDays(-90), password: Day.AddDays(-10)) with { LastQueryAt = null };
        Assert.Contains("after 90 days", Assert.Single(new Harness().Seed(seed).Feed(Query("Q1")).Alerts(RuleIds.DormantAccount)).Explanation);
    }

    [Fact]
    public void Old_password_raises_password_age_on_first_use()
    {
        var h = new Harness().Seed(Account("Q1", password: Day.AddDays(-120))).Feed(Query("Q1"));
        Assert.Contains("120 days ago", Assert.Single(h.LatestOf(RuleIds.PasswordAge)).Explanation);
        Assert.Empty(new Harness().Seed(Account("Q2", password: Day.AddDays(-20))).Feed(Query("Q2")).Alerts(RuleIds.PasswordAge));
    }

    [Fact]
    public void Disabled_account_that_queries_is_a_control_failure()
    {
        var h = new Harness().Seed(Account("Q1", status: AccountDirectoryStatus.Disabled)).Feed(Query("Q1"));
        var alert = Assert.Single(h.LatestOf(RuleIds.DormantAccount));
        Assert.Contains("although it was disabled", alert.Explanation);
        Assert.Contains("control failure", alert.Explanation);
    }

    [Fact]
    public void Directory_older_than_what_the_monitor_saw_does_not_roll_it_back()
    {
        // The monitor saw a query today; an old export calling the account idle for 200 days must not make it dormant tomorrow.
        var h = new Harness().Feed(Query("Q1", at: Day)).Seed(Account("Q1", lastQuery: Day.AddDays(-200), status: AccountDirectoryStatus.Suspended))
            .Feed(Query("Q1", at: Day.AddDays(1)));
        Assert.Empty(h.Alerts(RuleIds.DormantAccount));
    }

    [Fact]
    public void Person_with_an_admin_and_a_query_account_is_a_role_conflict_on_first_use()
    {
        var h = new Harness().Seed(Account("UA1", role: UserRole.UserAdmin, lastQuery: Day.AddDays(-5)), Account("Q1")).Feed(Query("Q1"));
        var alert = Assert.Single(h.LatestOf(RuleIds.RoleConflict));
        Assert.Equal(("employee", "E1"), (alert.EntityType, alert.EntityId));
        Assert.Contains("administrator account UA1 (user_admin", alert.Explanation);
    }

    [Fact]
    public void Disabled_admin_account_is_not_counted()
    {
        var h = new Harness().Seed(Account("UA1", role: UserRole.UserAdmin, status: AccountDirectoryStatus.Disabled), Account("Q1")).Feed(Query("Q1"));
        Assert.Empty(h.Alerts(RuleIds.RoleConflict));
    }

    [Fact]
    public void Seeding_the_same_directory_twice_changes_nothing()
    {
        var rows = new[]
        {
            Account("Q1", password: Day.AddDays(-120), lastQuery: Day.AddDays(-200)),
            Account("Q2", status: AccountDirectoryStatus.Suspended),
            Account("UA1", role: UserRole.UserAdmin),
        };
        var (once, twice) = (new AccountStatus(), new AccountStatus());
        var (heldOnce, heldTwice) = (new EmployeeAccounts(), new EmployeeAccounts());
        foreach (var r in rows)
        {
            once.Seed(r);
            twice.Seed(r);
            twice.Seed(r);
            heldOnce.Seed(r);
            heldTwice.Seed(r);
            heldTwice.Seed(r);
        }
        Assert.Empty(StateComparer.Differences(once, twice));
        Assert.Empty(StateComparer.Differences(heldOnce, heldTwice));

        // And after use: a second import after the password-age alert neither repeats it early nor loses it.
        var h = new Harness().Seed(rows).Feed(Query("Q1")).Seed(rows).Feed(Query("Q1", at: Day.AddHours(1)));
        Assert.Single(h.Alerts(RuleIds.PasswordAge));
    }

    [Fact]
    public void Seeding_differs_from_nothing_so_the_idempotence_check_can_fail()
    {
        var seeded = new AccountStatus();
        seeded.Seed(Account("Q1"));
        Assert.NotEmpty(StateComparer.Differences(new AccountStatus(), seeded));
    }
}
