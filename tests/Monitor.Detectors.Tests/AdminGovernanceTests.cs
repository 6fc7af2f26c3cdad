using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>ADMIN_GOVERNANCE: what a user administrator does to other accounts, judged on the administrator.</summary>
public sealed class AdminGovernanceTests
{
    private static readonly DateTimeOffset Morning = Ev.At(2026, 3, 2, 8, 30);

    /// <summary>The administrator's own login, which tells the monitor its role and branch.</summary>
    private static QueryLogEvent Login(string admin = "UA1", string branch = "SB0101", UserRole role = UserRole.UserAdmin) => new()
    {
        EventId = $"login-{admin}-{branch}", Type = EventType.Login, OccurredAt = Morning, UserId = admin, BranchId = branch, ParentBranchId = "BR0100",
        UserRole = role, Outcome = Outcome.Success,
    };

    private static QueryLogEvent Change(string target, AccountAction action, DateTimeOffset at, UserRole role = UserRole.QueryOperator, string branch = "SB0101", string admin = "UA1") =>
        Ev.Account(target, action, at, branch) with { ActorUserId = admin, UserRole = role };

    [Fact]
    public void Creating_an_administrator_at_its_own_branch_is_found_on_the_creator()
    {
        var h = new Harness().Feed(Login(), Change("UA2", AccountAction.Created, Ev.At(2026, 3, 2, 10), UserRole.UserAdmin));

        var alert = Assert.Single(h.Alerts(RuleIds.AdminGovernance));
        Assert.Equal(("UA1", "high", "SB0101"), (alert.UserId, alert.Severity, alert.BranchId));
        Assert.Contains("administrator UA1 created UA2 as user_admin at 2026-03-02 10:00:00 local: at its own branch SB0101, its own level", alert.Explanation);
    }

    [Fact]
    public void A_branch_administrator_creating_one_for_a_sub_branch_below_it_is_ordinary()
    {
        var h = new Harness().Feed(Login("UA9", "BR0100"), Change("UA2", AccountAction.Created, Ev.At(2026, 3, 2, 10), UserRole.UserAdmin, admin: "UA9"));

        Assert.Empty(h.Alerts(RuleIds.AdminGovernance));
    }

    [Fact]
    public void Creating_a_more_powerful_administrator_is_found_wherever_it_sits()
    {
        var h = new Harness().Feed(Login("UA9", "BR0100"), Change("SA2", AccountAction.Created, Ev.At(2026, 3, 2, 10), UserRole.SuperAdmin, admin: "UA9"));

        Assert.Contains("a higher role than its own (user_admin)", Assert.Single(h.Alerts(RuleIds.AdminGovernance)).Explanation);
    }

    [Fact]
    public void More_password_resets_in_a_month_than_allowed_is_one_alert_for_the_month()
    {
        var resets = Enumerable.Range(0, 25).Select(i => Change($"Q{i % 5}", AccountAction.PasswordChanged, Ev.At(2026, 3, 2 + i / 5, 10, i)));
        var h = new Harness().Feed(Login()).Feed(resets);

        var alert = Assert.Single(h.LatestOf(RuleIds.AdminGovernance));
        Assert.Equal(("medium", "2026-03-06"), (alert.Severity, alert.Day)); // the day the 21st reset crossed the month's limit
        Assert.Contains("reset other users' passwords 21 times in 2026-03", alert.Explanation);
    }

    [Fact]
    public void Twenty_resets_a_month_and_an_accounts_own_password_changes_are_ordinary()
    {
        var resets = Enumerable.Range(0, 20).Select(i => Change($"Q{i % 5}", AccountAction.PasswordChanged, Ev.At(2026, 3, 2 + i / 5, 10, i)));
        var own = Enumerable.Range(0, 30).Select(i => Change("UA1", AccountAction.PasswordChanged, Ev.At(2026, 3, 3, 11, i)));
        var h = new Harness().Feed(Login()).Feed(resets).Feed(own);

        Assert.Empty(h.Alerts(RuleIds.AdminGovernance));
    }

    [Fact]
    public void Ten_changes_within_an_hour_are_a_burst_nine_are_not()
    {
        var nine = new Harness().Feed(Login()).Feed(Enumerable.Range(0, 9).Select(i => Change($"Q{i}", AccountAction.RoleChanged, Ev.At(2026, 3, 2, 10, 5 * i))));
        Assert.Empty(nine.Alerts(RuleIds.AdminGovernance));

        var ten = new Harness().Feed(Login()).Feed(Enumerable.Range(0, 10).Select(i => Change($"Q{i}", AccountAction.RoleChanged, Ev.At(2026, 3, 2, 10, 5 * i))));
        Assert.Contains("made 10 account changes within 60 min", Assert.Single(ten.Alerts(RuleIds.AdminGovernance)).Explanation);
    }

    [Fact]
    public void Disabling_an_account_at_night_is_found_once_that_day()
    {
        var h = new Harness().Feed(Login(), Change("Q1", AccountAction.Disabled, Ev.At(2026, 3, 2, 22, 10)), Change("Q2", AccountAction.Disabled, Ev.At(2026, 3, 2, 22, 20)));

        var alert = Assert.Single(h.LatestOf(RuleIds.AdminGovernance));
        Assert.Contains("administrator UA1 disabled Q1 at 2026-03-02 22:10:00 local, outside working hours", alert.Explanation);
        Assert.Equal(1, alert.Revision);
    }

    [Fact]
    public void The_changed_account_itself_gets_no_governance_alert()
    {
        var h = new Harness().Feed(Login(), Change("Q1", AccountAction.Disabled, Ev.At(2026, 3, 2, 22, 10)));

        Assert.DoesNotContain(h.Alerts(RuleIds.AdminGovernance), a => a.UserId == "Q1");
    }
}
