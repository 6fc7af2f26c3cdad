namespace Monitor.Contracts;

/// <summary>Whether the access-control system lets an account in, as its account directory says.</summary>
public enum AccountDirectoryStatus { Active, Disabled, Suspended }

/// <summary>
/// One account of the bank's account directory (the access-control system's export), read at first start so
/// PASSWORD_AGE, DORMANT_ACCOUNT and ROLE_CONFLICT judge from the first day on years of history the monitor never
/// saw. A seed, not an event: it sets what the detectors know and never runs a rule.
/// </summary>
public sealed record AccountSeed(
    string UserId,
    string EmployeeId,
    UserRole Role,
    string BranchId,
    string? ParentBranchId,
    AccountDirectoryStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset PasswordChangedAt,
    DateTimeOffset? LastQueryAt)
{
    /// <summary>The latest moment the directory vouches for: the account's last query, password change or creation.</summary>
    public DateTimeOffset LatestKnown
    {
        get
        {
            var t = CreatedAt > PasswordChangedAt ? CreatedAt : PasswordChangedAt;
            return LastQueryAt is { } q && q > t ? q : t;
        }
    }
}
