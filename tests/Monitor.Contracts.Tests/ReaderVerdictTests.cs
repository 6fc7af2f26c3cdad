using System.Text;
using Monitor.Contracts;
using Xunit;

namespace Monitor.Contracts.Tests;

/// <summary>
/// The event reader gives one verdict whatever the path: Kafka hands it bytes, replay hands it the same bytes
/// read from the file. Each case here is refused with the same reason on both overloads where both can carry it.
/// </summary>
public sealed class ReaderVerdictTests
{
    private const string Good = """{"eventId":"e1","type":"login","occurredAt":"2026-03-02T09:15:03.120+08:00","userId":"Q1","branchId":"B1","outcome":"success"}""";

    [Fact]
    public void Good_event_reads_on_both_overloads() 
    {
        Assert.True(EventJson.TryParse(Good, out _, out var r1), r1);
        Assert.True(EventJson.TryParse(Encoding.UTF8.GetBytes(Good), out _, out var r2), r2);
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_the_byte_position()
    {
        var bytes = Encoding.UTF8.GetBytes(Good.Replace("\"Q1\"", "\"Q1X\"")).ToArray();
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xFF;
        Assert.False(EventJson.TryParse(bytes, out _, out var reason));
        Assert.Equal($"invalid UTF-8: byte {at} is not valid UTF-8", reason);
    }

    [Fact]
    public void Lone_surrogate_in_text_is_refused_as_invalid_utf8()
    {
        Assert.False(EventJson.TryParse(Good.Replace("\"Q1\"", "\"Q1\uD800\""), out _, out var reason));
        Assert.StartsWith("invalid UTF-8:", reason);
    }

    [Theory]
    [InlineData("userId", "\"Q1\",\"userId\":\"Q2\"")]
    [InlineData("occurredAt", "\"Q1\",\"occurredAt\":\"2026-03-03T09:15:03.120+08:00\"")]
    public void Duplicate_field_is_refused_not_last_one_wins(string field, string userIdValue)
    {
        var json = Good.Replace("\"Q1\"", userIdValue);
        Assert.False(EventJson.TryParse(json, out _, out var r1));
        Assert.False(EventJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var r2));
        Assert.StartsWith("duplicate field:", r1);
        Assert.Contains(field, r1);
        Assert.Equal(r1, r2);
    }

    [Theory]
    [InlineData("2026-03-02T09:15:03.000 +08:00")]
    [InlineData("2026-03-02T09:15:03.000+0800")]
    [InlineData("2026-3-2T09:15:03.000+08:00")]
    [InlineData("2026-03-02T09:15:03,000+08:00")]
    [InlineData(" 2026-03-02T09:15:03.000+08:00")]
    [InlineData("2026-03-02T09:15:03.000z")]
    [InlineData("2026-03-02t09:15:03.000Z")]
    [InlineData("9999-12-31T23:59:59.99999999Z")]
    [InlineData("2026-03-02T09:15:03.000+14:30")] // beyond ±14:00 no offset exists: this threw instead of being refused
    [InlineData("2026-03-02T09:15:03.000-14:01")]
    public void Time_in_any_other_form_than_the_contracts_is_refused(string time)
    {
        var json = Good.Replace("2026-03-02T09:15:03.120+08:00", time);
        Assert.False(EventJson.TryParse(json, out _, out var r1));
        Assert.False(EventJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var r2));
        Assert.StartsWith("invalid time:", r1);
        Assert.Equal(r1, r2);
    }

    [Theory]
    [InlineData("Q1\nCOMMAND reinstate user Q9")]
    [InlineData("Q1\u001B[31m")]
    [InlineData("Q1\u202Eevil")]
    [InlineData("Q1\u200B")]
    [InlineData("Q1\u2028")]
    [InlineData("Q1\u0085")]
    [InlineData("Q1\uFE0F")]
    [InlineData("Q1\u034F")]
    [InlineData("Q\u31641")]
    [InlineData("Q1\U000E0101")]
    public void Id_with_a_control_or_invisible_character_is_refused(string userId)
    {
        var json = Good.Replace("\"Q1\"", System.Text.Json.JsonSerializer.Serialize(userId));
        Assert.False(EventJson.TryParse(json, out _, out var reason));
        Assert.StartsWith("invalid value: 'userId' holds an invisible or control character", reason);
        Assert.DoesNotContain('\n', reason!);
    }

    [Fact]
    public void Chinese_ids_are_ordinary_ids()
    {
        Assert.True(EventJson.TryParse(Good.Replace("\"B1\"", "\"北京分行\""), out var e, out var reason), reason);
        Assert.Equal("北京分行", e!.BranchId);
    }

    [Fact]
    public void Unknown_enum_value_is_shown_escaped_in_the_reason()
    {
        Assert.False(EventJson.TryParse(Good.Replace("\"success\"", "\"suc\\ncess\""), out _, out var reason));
        Assert.Contains(@"'suc\ncess'", reason);
    }
}
