namespace Monitor.Notify;

/// <summary>Makes one attempt to deliver a notice to one recipient, within a timeout; never throws for a failed delivery.</summary>
public interface ISender
{
    Task<DeliveryOutcome> SendAsync(Notice notice, Recipient to, TimeSpan timeout, CancellationToken ct);
}
