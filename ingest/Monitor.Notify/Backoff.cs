using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// How long a failed delivery waits before its next attempt: <c>backoffSeconds</c> after the first failure, doubling
/// with each further one, never more than <c>maxBackoffSeconds</c> (2 s, 4 s, 8 s, … by default); and whether a failure
/// is worth retrying at all (a refused address or key stays refused).
/// </summary>
public static class Backoff
{
    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1 for the first).</summary>
    public static TimeSpan After(int attempt, NotificationSettings s) =>
        TimeSpan.FromSeconds(Math.Min(s.MaxBackoffSeconds, s.BackoffSeconds * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>Whether a delivery that failed its attempt <paramref name="attempt"/> this way gets another.</summary>
    public static bool Retries(DeliveryOutcome outcome, int attempt, NotificationSettings s) => !outcome.Delivered && !outcome.Permanent && attempt < s.Attempts;
}

/// <summary>What one attempt came to: delivered, or failed (permanently when retrying cannot help) with why in words.</summary>
public sealed record DeliveryOutcome(bool Delivered, bool Permanent, string Detail)
{
    public static DeliveryOutcome Ok(string detail) => new(true, false, detail);
    public static DeliveryOutcome Failed(string detail) => new(false, false, detail);
    public static DeliveryOutcome Refused(string detail) => new(false, true, detail);
}
