using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class EventRuleTests
{
    [Fact]
    public void Loan_approval_without_authorization_is_flagged_high()
    {
        var q = Ev.Query() with { AuthorizationId = null, AuthorizedAt = null };
        var alert = Assert.Single(new Harness().Feed(q).Alerts(RuleIds.NoAuthorization));
        Assert.Equal("high", alert.Severity);
        Assert.Equal("Q440100", alert.UserId);
        Assert.Equal([q.EventId], alert.Evidence);
        Assert.Contains("no authorization on file", alert.Explanation);
    }

    [Theory]
    [InlineData(Purpose.PostLoanManagement)]
    [InlineData(Purpose.SelfQuery)]
    [InlineData(Purpose.LegalAuthority)]
    public void Authorization_free_purposes_are_not_flagged(Purpose purpose) =>
        Assert.Empty(new Harness().Feed(Ev.Query(purpose: purpose)).Output.Alerts);

    [Fact]
    public void Denied_query_without_authorization_read_nothing_and_is_not_flagged() =>
        Assert.Empty(new Harness().Feed(Ev.Query(outcome: Outcome.Denied) with { AuthorizationId = null }).Alerts(RuleIds.NoAuthorization));

    [Fact]
    public void Authorization_signed_after_the_query_is_query_before_authorization()
    {
        var q = Ev.Query();
        q = q with { AuthorizedAt = q.OccurredAt.AddHours(3) };
        var alert = Assert.Single(new Harness().Feed(q).Alerts(RuleIds.QueryBeforeAuthorization));
        Assert.Contains("3 h 0 min later", alert.Explanation);
    }

    [Fact]
    public void Authorization_signed_at_the_same_instant_as_the_query_is_in_order()
    {
        var q = Ev.Query();
        Assert.Empty(new Harness().Feed(q with { AuthorizedAt = q.OccurredAt }).Output.Alerts);
    }

    [Theory]
    [InlineData(UserRole.UserAdmin)]
    [InlineData(UserRole.GeneralAdmin)]
    [InlineData(UserRole.SuperAdmin)]
    public void Administrator_reading_a_report_is_critical_and_requests_suspension(UserRole role)
    {
        var alert = Assert.Single(new Harness().Feed(Ev.Query(user: "GA0001", role: role)).Alerts(RuleIds.AdminQuery));
        Assert.Equal("critical", alert.Severity);
        Assert.True(alert.Score >= 80);
        Assert.True(alert.SuspensionRequested);
    }

    [Fact]
    public void Administrator_attempt_that_was_denied_is_high_without_suspension()
    {
        var alert = Assert.Single(new Harness().Feed(Ev.Query(role: UserRole.SuperAdmin, outcome: Outcome.Denied)).Alerts(RuleIds.AdminQuery));
        Assert.Equal("high", alert.Severity);
        Assert.False(alert.SuspensionRequested);
    }

    [Theory]
    [InlineData(UserRole.QueryOperator)]
    [InlineData(UserRole.WindowQuery)]
    [InlineData(UserRole.DisputeHandler)]
    public void Query_roles_are_not_admin_queries(UserRole role) =>
        Assert.Empty(new Harness().Feed(Ev.Query(role: role)).Alerts(RuleIds.AdminQuery));

    [Fact]
    public void Administrator_login_is_not_a_query() =>
        Assert.Empty(new Harness().Feed(Ev.Account("GA0001", AccountAction.PasswordChanged)).Output.Alerts);
}
