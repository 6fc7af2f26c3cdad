using Monitor.Contracts;
using Xunit;

namespace Monitor.Notify.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void The_wait_doubles_from_the_first_retry_and_stops_at_the_maximum()
    {
        var s = new NotificationSettings { BackoffSeconds = 2, MaxBackoffSeconds = 30 };
        Assert.Equal([2, 4, 8, 16, 30, 30], Enumerable.Range(1, 6).Select(a => Backoff.After(a, s).TotalSeconds));
    }

    [Fact]
    public void A_failure_is_retried_until_the_last_attempt_unless_retrying_cannot_help()
    {
        var s = new NotificationSettings { Attempts = 3 };
        Assert.True(Backoff.Retries(DeliveryOutcome.Failed("HTTP 500"), 1, s));
        Assert.True(Backoff.Retries(DeliveryOutcome.Failed("HTTP 500"), 2, s));
        Assert.False(Backoff.Retries(DeliveryOutcome.Failed("HTTP 500"), 3, s));
        Assert.False(Backoff.Retries(DeliveryOutcome.Refused("HTTP 404"), 1, s));
        Assert.False(Backoff.Retries(DeliveryOutcome.Ok("HTTP 200"), 1, s));
    }
}
