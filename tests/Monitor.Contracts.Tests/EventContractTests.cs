using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Contracts.Tests;

public sealed class EventContractTests
{
    [Fact]
    public void Documented_example_parses_with_every_field()
    {
        const string json = """
            {"eventId":"ev-1","type":"query","occurredAt":"2026-03-02T09:15:03.120+08:00","userId":"Q440100","employeeId":"E1001",
             "userRole":"query_operator","branchId":"SB0101","parentBranchId":"BR0100","terminalId":"T1","ip":"10.0.0.8","channel":"counter",
             "subjectId":"s9f2c","subjectType":"individual","purpose":"loan_approval","authorizationId":"AUTH-7","authorizedAt":"2026-03-01T16:00:00.000+08:00",
             "outcome":"success"}
            """;
        Assert.True(EventJson.TryParse(json, out var e, out var reason), reason);
        Assert.Equal(EventType.Query, e!.Type);
        Assert.Equal(UserRole.QueryOperator, e.UserRole);
        Assert.Equal(Purpose.LoanApproval, e.Purpose);
        Assert.Equal(TimeSpan.FromHours(8), e.OccurredAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 1, 15, 3, 120, TimeSpan.Zero), e.OccurredAt.ToUniversalTime());
    }

    [Theory]
    [InlineData("2026-03-02T09:15:03+08:00")]
    [InlineData("2026-03-02T09:15:03.1+08:00")]
    [InlineData("2026-03-02T09:15:03.120+08:00")]
    [InlineData("2026-03-02T09:15:03.1234567-05:30")]
    [InlineData("2026-03-02T09:15:03.123456789Z")]
    [InlineData("2024-02-29T23:59:59.999+14:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2026-03-02 09:15:03+08:00")]
    [InlineData("2025-02-29T10:00:00+08:00")]
    [InlineData("2026-13-02T10:00:00+08:00")]
    [InlineData("2026-03-02T24:00:00+08:00")]
    [InlineData("2026-03-02T10:00:00.+08:00")]
    [InlineData("2026-03-02T10:00:00+08:0")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2026-03-02T09:15:03.9999999999Z")]
    public void Event_time_reads_exactly_as_the_general_iso_parser_reads_it(string time)
    {
        var json = $$"""{"eventId":"e1","type":"login","occurredAt":"{{time}}","userId":"Q1","branchId":"B1","outcome":"success"}""";
        var general = DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expected)
            && time[10] == 'T' && System.Text.RegularExpressions.Regex.IsMatch(time, @"(Z|[+-]\d\d:\d\d)$");
        Assert.Equal(general, EventJson.TryParse(json, out var e, out var reason));
        if (general)
        {
            Assert.Equal(expected, e!.OccurredAt);
            Assert.Equal(expected.Offset, e.OccurredAt.Offset);
        }
        else Assert.StartsWith("invalid time", reason);
    }

    [Fact]
    public void Written_event_reads_back_identical_and_keeps_its_offset()
    {
        var original = Ev.Query();
        var json = EventJson.Serialize(original);
        Assert.Contains("+08:00", json);
        Assert.True(EventJson.TryParse(json, out var back, out var reason), reason);
        Assert.Equal(original, back);
    }

    [Theory]
    [InlineData("hello", "not JSON")]
    [InlineData("{\"eventId\":", "malformed JSON")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03+08:00","userId":5,"branchId":"B","purpose":"self_query"}""", "wrong type: field 'userId'")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03+08:00","userId":"Q1","purpose":"self_query"}""", "missing field: 'branchId'")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03+08:00","userId":"Q1","branchId":"B","purpose":"fishing"}""", "unknown value: 'purpose' is 'fishing'")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03+08:00","userId":"Q1","branchId":"B","purpose":"self_query","userRole":"root"}""", "unknown value: 'userRole'")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03","userId":"Q1","branchId":"B","purpose":"self_query"}""", "invalid time: 'occurredAt'")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"yesterday","userId":"Q1","branchId":"B","purpose":"self_query"}""", "invalid time")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03+08:00","userId":"Q1","branchId":"B","purpose":"self_query","authorisationId":"A"}""", "unknown field: 'authorisationId'")]
    [InlineData("""{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03+08:00","userId":"Q1","branchId":"B"}""", "'purpose' is required on query events")]
    [InlineData("""{"eventId":"e1","type":"account","occurredAt":"2026-03-02T09:15:03+08:00","userId":"Q1","branchId":"B"}""", "'action' is required on account events")]
    [InlineData("null", "JSON null")]
    public void Bad_input_is_refused_with_a_reason_naming_the_problem(string json, string expected)
    {
        Assert.False(EventJson.TryParse(json, out var e, out var reason));
        Assert.Null(e);
        Assert.Contains(expected, reason);
    }

    [Fact]
    public void Oversized_message_is_refused_before_parsing()
    {
        var big = Ev.MinimalQueryJson.Replace("\"e1\"", "\"" + new string('x', 100) + "\"");
        Assert.False(EventJson.TryParse(System.Text.Encoding.UTF8.GetBytes(big), out _, out var reason, maxBytes: 100));
        Assert.StartsWith("oversized", reason);
    }

    [Fact]
    public void Minimal_query_needs_only_the_required_fields()
    {
        Assert.True(EventJson.TryParse(Ev.MinimalQueryJson, out var e, out var reason), reason);
        Assert.Null(e!.AuthorizationId);
    }

    [Theory]
    [InlineData(Purpose.PostLoanManagement, false)]
    [InlineData(Purpose.SelfQuery, false)]
    [InlineData(Purpose.LegalAuthority, false)]
    [InlineData(Purpose.LoanApproval, true)]
    [InlineData(Purpose.DisputeHandling, true)]
    public void Only_three_purposes_go_without_authorization(Purpose purpose, bool required) =>
        Assert.Equal(required, Purposes.RequiresAuthorization(purpose));
}
