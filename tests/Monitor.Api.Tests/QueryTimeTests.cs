using Xunit;

namespace Monitor.Api.Tests;

/// <summary>The pure reading of a query-string time: an offset is required, and the instant is the one it names.</summary>
public sealed class QueryTimeTests
{
    [Theory]
    [InlineData("2026-04-07T10:00:00+08:00", "2026-04-07T02:00:00.0000000+00:00")]
    [InlineData("2026-04-07T10:00:00 08:00", "2026-04-07T02:00:00.0000000+00:00")] // an unencoded + arrives as a space
    [InlineData("2026-04-07T10:00-05:30", "2026-04-07T15:30:00.0000000+00:00")]
    [InlineData("2026-04-07T10:00:00.1234567Z", "2026-04-07T10:00:00.1234567+00:00")]
    public void A_time_with_an_offset_is_the_instant_it_names(string text, string utc)
    {
        Assert.True(QueryTime.TryParse(text, out var t));
        Assert.Equal(utc, t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-04-07T10:00:00")]
    [InlineData("2026-04-07T10:00:00.5")]
    [InlineData("2026-04-07")]
    [InlineData("2026-04-07T10:00:00 -08:00")]
    [InlineData("2026-04-07T10:00:00+8:00")]
    [InlineData("2026-04-07T24:00:00Z")]
    [InlineData("2026-02-30T10:00:00Z")]
    [InlineData("２０２６-04-07T10:00:00Z")] // full-width digits
    [InlineData("")]
    public void A_time_without_an_offset_or_not_iso_8601_is_refused(string text) => Assert.False(QueryTime.TryParse(text, out _));
}
