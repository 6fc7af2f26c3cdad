using Monitor.Contracts;
using Xunit;

namespace Monitor.Contracts.Tests;

/// <summary>The two feeds beside the query log: the approval register (查询审批登记簿) and HR, validated as strictly as the rest.</summary>
public sealed class FeedContractTests
{
    private const string Register =
        """{"eventId":"r1","type":"register","occurredAt":"2026-03-02T09:40:00.000+08:00","userId":"QO010101","branchId":"SB0101","subjectId":"s8df3a","purpose":"loan_approval","registerId":"REG-2026-0001","approvedBy":"E100002","approvedAt":"2026-03-02T09:38:12.000+08:00"}""";

    private const string Employee =
        """{"eventId":"h1","type":"employee","occurredAt":"2026-03-02T17:35:00.000+08:00","employeeId":"E100231","branchId":"SB0101","action":"left","effectiveAt":"2026-03-02T17:30:00.000+08:00"}""";

    [Fact]
    public void A_register_entry_parses_with_who_approved_it_and_when()
    {
        Assert.True(EventJson.TryParse(Register, out var e, out var reason), reason);
        Assert.Equal((EventType.Register, "QO010101", "REG-2026-0001", "E100002", Purpose.LoanApproval), (e!.Type, e.UserId, e.RegisterId, e.ApprovedBy, e.Purpose));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 38, 12, TimeSpan.FromHours(8)), e.ApprovedAt);
        Assert.Equal(QueryLogEvent.KeyOf("s8df3a"), e.SubjectKey);
        Assert.Equal("QO010101", e.Key);
    }

    [Fact]
    public void An_hr_event_names_the_person_and_is_keyed_by_the_employee()
    {
        Assert.True(EventJson.TryParse(Employee, out var e, out var reason), reason);
        Assert.Equal((EventType.Employee, "E100231", StaffAction.Left, (AccountAction?)null), (e!.Type, e.EmployeeId, e.StaffAction, e.Action));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 17, 30, 0, TimeSpan.FromHours(8)), e.EffectiveAt);
        Assert.Equal("E100231", e.Key);
    }

    [Theory]
    [InlineData("registerId", "missing field: 'registerId' is required")]
    [InlineData("subjectId", "missing field: 'subjectId' is required")]
    [InlineData("approvedBy", "missing field: 'approvedBy' is required")]
    [InlineData("purpose", "missing field: 'purpose' is required on register events")]
    [InlineData("approvedAt", "missing field: 'approvedAt' is required on register events")]
    [InlineData("userId", "missing field: 'userId' is required")]
    public void A_register_entry_without_a_required_field_is_refused_naming_it(string field, string expected)
    {
        Assert.False(EventJson.TryParse(Without(Register, field), out _, out var reason));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("employeeId", "missing field: 'employeeId' is required")]
    [InlineData("action", "missing field: 'action' is required on employee events")]
    [InlineData("effectiveAt", "missing field: 'effectiveAt' is required on employee events")]
    [InlineData("branchId", "missing field: 'branchId' is required")]
    public void An_hr_event_without_a_required_field_is_refused_naming_it(string field, string expected)
    {
        Assert.False(EventJson.TryParse(Without(Employee, field), out _, out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Actions_belong_to_their_feed()
    {
        Assert.False(EventJson.TryParse(Employee.Replace("\"left\"", "\"disabled\"", StringComparison.Ordinal), out _, out var hr));
        Assert.StartsWith("unknown value: 'action' is 'disabled', expected one of joined|left|transferred", hr);
        var account = """{"eventId":"a1","type":"account","occurredAt":"2026-03-02T08:23:00.000+08:00","userId":"Q1","branchId":"SB0101","action":"left"}""";
        Assert.False(EventJson.TryParse(account, out _, out var acc));
        Assert.StartsWith("unknown value: 'action' is 'left'", acc);
    }

    [Fact]
    public void An_hr_event_naming_an_account_is_refused_hr_knows_people_not_accounts()
    {
        Assert.False(EventJson.TryParse(Employee.Replace("\"employeeId\"", "\"userId\":\"Q1\",\"employeeId\"", StringComparison.Ordinal), out _, out var reason));
        Assert.StartsWith("invalid value: 'userId' does not belong on employee events", reason);
    }

    [Fact]
    public void A_bad_approval_or_effective_time_is_refused_like_any_time()
    {
        Assert.False(EventJson.TryParse(Register.Replace("2026-03-02T09:38:12.000+08:00", "2026-03-02 09:38", StringComparison.Ordinal), out _, out var r1));
        Assert.StartsWith("invalid time: 'approvedAt'", r1);
        Assert.False(EventJson.TryParse(Employee.Replace("2026-03-02T17:30:00.000+08:00", "2026-03-02T17:30:00", StringComparison.Ordinal), out _, out var r2));
        Assert.StartsWith("invalid time: 'effectiveAt'", r2);
    }

    [Theory]
    [InlineData(Register)]
    [InlineData(Employee)]
    public void Both_feeds_write_back_what_they_read(string json)
    {
        Assert.True(EventJson.TryParse(json, out var e, out _));
        Assert.True(EventJson.TryParse(EventJson.Serialize(e!), out var again, out var reason), reason);
        Assert.Equal(e, again);
    }

    private static string Without(string json, string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(field);
        return node.ToJsonString();
    }
}
