using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>SHARED_ACCOUNT and ROLE_CONFLICT: one account in two places, one person behind several accounts.</summary>
public sealed class SharedAccountAndRoleConflictTests
{
    private static QueryLogEvent At(DateTimeOffset t, string terminal, string user = "Q1", string? ip = null) =>
        Ev.Query(user, t) with { TerminalId = terminal, Ip = ip ?? "10.1.1.1" };

    [Fact]
    public void Same_account_on_two_terminals_within_the_window_is_flagged()
    {
        var h = new Harness().Feed(At(Ev.At(2026, 3, 2, 10, 0), "T-A"), At(Ev.At(2026, 3, 2, 10, 10), "T-B"));
        var alert = Assert.Single(h.LatestOf(RuleIds.SharedAccount));
        Assert.Equal(("user", "Q1"), (alert.EntityType, alert.EntityId));
        Assert.Contains("terminal T-A and terminal T-B", alert.Explanation);
    }

    [Fact]
    public void Terminal_change_just_after_the_window_is_not_flagged() =>
        Assert.Empty(new Harness().Feed(At(Ev.At(2026, 3, 2, 10, 0), "T-A"), At(Ev.At(2026, 3, 2, 10, 10, 1), "T-B")).Alerts(RuleIds.SharedAccount));

    [Fact]
    public void Same_terminal_from_another_address_is_flagged() =>
        Assert.Contains("address 10.1.1.1 and address 10.2.2.2",
            Assert.Single(new Harness().Feed(At(Ev.At(2026, 3, 2, 10, 0), "T-A"), At(Ev.At(2026, 3, 2, 10, 2), "T-A", ip: "10.2.2.2")).Alerts(RuleIds.SharedAccount)).Explanation);

    [Fact]
    public void One_employee_behind_two_query_accounts_is_flagged_on_the_employee()
    {
        var h = new Harness().Feed(Ev.Query("Q1") with { EmployeeId = "E9" }, Ev.Query("Q2", Ev.At(2026, 3, 2, 11)) with { EmployeeId = "E9" });
        var alert = Assert.Single(h.LatestOf(RuleIds.SharedAccount));
        Assert.Equal(("employee", "E9", "Q2"), (alert.EntityType, alert.EntityId, alert.UserId));
        Assert.Empty(h.Alerts(RuleIds.RoleConflict));
    }

    [Fact]
    public void Employee_holding_an_admin_and_a_query_account_is_a_role_conflict()
    {
        var admin = new QueryLogEvent
        {
            EventId = "adm-login", Type = EventType.Login, OccurredAt = Ev.At(2026, 3, 2, 9), UserId = "UA9", EmployeeId = "E9",
            UserRole = UserRole.UserAdmin, BranchId = "SB0101", Outcome = Outcome.Success,
        };
        var h = new Harness().Feed(admin, Ev.Query("Q1") with { EmployeeId = "E9" });
        var alert = Assert.Single(h.LatestOf(RuleIds.RoleConflict));
        Assert.Contains("administrator account UA9 (user_admin", alert.Explanation);
        Assert.Empty(h.Alerts(RuleIds.SharedAccount));
    }

    [Fact]
    public void Disabled_old_account_no_longer_counts_for_its_employee()
    {
        var h = new Harness().Feed(
            Ev.Query("Q1", Ev.At(2026, 3, 2, 9)) with { EmployeeId = "E9" },
            Ev.Account("Q1", AccountAction.Disabled, Ev.At(2026, 3, 2, 12)) with { EmployeeId = "E9" },
            Ev.Query("Q2", Ev.At(2026, 3, 3, 10)) with { EmployeeId = "E9" });
        Assert.Empty(h.Alerts(RuleIds.SharedAccount));
    }
}

/// <summary>DORMANT_ACCOUNT and PASSWORD_AGE: judged only on what the account events and activity showed.</summary>
public sealed class DormantAndPasswordTests
{
    [Fact]
    public void Query_after_thirty_idle_days_is_flagged_and_after_twenty_nine_is_not()
    {
        var first = Ev.At(2026, 3, 2, 10);
        Assert.Single(new Harness().Feed(Ev.Query(at: first), Ev.Query(at: first.AddDays(30))).Alerts(RuleIds.DormantAccount));
        Assert.Empty(new Harness().Feed(Ev.Query(at: first), Ev.Query(at: first.AddDays(29))).Alerts(RuleIds.DormantAccount));
    }

    [Fact]
    public void An_account_never_seen_before_is_not_dormant() =>
        Assert.Empty(new Harness().Feed(Ev.Query()).Alerts(RuleIds.DormantAccount));

    [Fact]
    public void Disabled_account_that_still_reads_a_report_is_critical_and_suspended_once()
    {
        var h = new Harness().Feed(
            Ev.Account("Q1", AccountAction.Disabled, Ev.At(2026, 3, 2, 9)),
            Ev.Query("Q1", Ev.At(2026, 3, 2, 10)), Ev.Query("Q1", Ev.At(2026, 3, 2, 11)));
        var alert = Assert.Single(h.LatestOf(RuleIds.DormantAccount));
        Assert.Equal("critical", alert.Severity);
        Assert.Contains("although it was disabled", alert.Explanation);
        Assert.Single(h.Output.Commands);
    }

    [Fact]
    public void Re_enabled_account_and_a_denied_attempt_are_not_control_failures()
    {
        var h = new Harness().Feed(
            Ev.Account("Q1", AccountAction.Suspended, Ev.At(2026, 3, 2, 9)),
            Ev.Query("Q1", Ev.At(2026, 3, 2, 9, 30), outcome: Outcome.Denied),
            Ev.Account("Q1", AccountAction.Reinstated, Ev.At(2026, 3, 2, 10)),
            Ev.Query("Q1", Ev.At(2026, 3, 2, 11)));
        Assert.Empty(h.Alerts(RuleIds.DormantAccount));
    }

    [Fact]
    public void Password_older_than_two_months_is_flagged_at_the_next_use_and_again_a_week_later()
    {
        var h = new Harness().Feed(
            Ev.Account("Q1", AccountAction.PasswordChanged, Ev.At(2026, 3, 2, 9)),
            Ev.Query("Q1", Ev.At(2026, 5, 1, 10)), // within two months: fine
            Ev.Query("Q1", Ev.At(2026, 5, 6, 10)), Ev.Query("Q1", Ev.At(2026, 5, 7, 10)), Ev.Query("Q1", Ev.At(2026, 5, 13, 10)));
        var alerts = h.LatestOf(RuleIds.PasswordAge);
        Assert.Equal(["2026-05-06", "2026-05-13"], alerts.Select(a => a.Day).Order());
        Assert.Contains("last changed 2026-03-02", alerts[0].Explanation);
        Assert.Equal("low", alerts[0].Severity);
    }

    [Fact]
    public void Password_age_is_not_judged_without_a_known_change() =>
        Assert.Empty(new Harness().Feed(Ev.Query("Q1", Ev.At(2026, 3, 2, 10)), Ev.Query("Q1", Ev.At(2026, 6, 2, 10))).Alerts(RuleIds.PasswordAge));
}

public sealed class EmployeeAccountsOrderTests
{
    [Fact]
    public void Account_of_a_later_day_arriving_first_does_not_count_for_earlier_events()
    {
        // Two accounts of one person come from different Kafka partitions; the admin account created on
        // Wednesday may be read before Monday's events of the query account.
        var admin = new QueryLogEvent
        {
            EventId = "adm-created", Type = EventType.Account, OccurredAt = Ev.At(2026, 3, 4, 9), UserId = "UA9", EmployeeId = "E9",
            UserRole = UserRole.UserAdmin, BranchId = "SB0101", Action = AccountAction.Created, Outcome = Outcome.Success,
        };
        var h = new Harness().Feed(admin, Ev.Query("Q1", Ev.At(2026, 3, 2, 10)) with { EmployeeId = "E9" });
        Assert.Empty(h.Alerts(RuleIds.RoleConflict));
        h.Feed(Ev.Query("Q1", Ev.At(2026, 3, 4, 10)) with { EmployeeId = "E9" });
        Assert.Equal("2026-03-04", Assert.Single(h.LatestOf(RuleIds.RoleConflict)).Day);
    }
}
