namespace Monitor.Store;

/// <summary>
/// An analyst's suppression made through the officers' API, as the store keeps it: what it covers (one rule on
/// one entity), why, who made it and when, until when, and its early end (who, when, why) if it was ended.
/// <see cref="State"/> is as of when it was read: <c>active</c>, <c>ended</c> (early, by someone) or
/// <c>expired</c> (its time ran out). Rows are never deleted: the list is also the record of what was accepted.
/// </summary>
public sealed record StoredSuppression(
    long Id, string Rule, string EntityType, string EntityId, string Reason, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset Until,
    string? EndedBy, DateTimeOffset? EndedAt, string? EndedReason, string State)
{
    public const string Active = "active";
    public const string Ended = "ended";
    public const string Expired = "expired";

    /// <summary>When it stops covering: its expiry, or its early end when that came first.</summary>
    public DateTimeOffset Ends => EndedAt is { } ended && ended < Until ? ended : Until;

    /// <summary>Its state at <paramref name="now"/>.</summary>
    public static string StateAt(DateTimeOffset? endedAt, DateTimeOffset until, DateTimeOffset now) =>
        endedAt is not null ? Ended : now >= until ? Expired : Active;
}

/// <summary>What an analyst asks to suppress: a rule on an entity until a time, with the reason (validated by the caller).</summary>
public sealed record NewSuppression(string Rule, string EntityType, string EntityId, string Reason, DateTimeOffset Until);
