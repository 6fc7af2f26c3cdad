namespace Monitor.Contracts;

/// <summary>The authorization rule of the regulations: only three purposes may be queried without a written authorization.</summary>
public static class Purposes
{
    /// <summary>False for post-loan management, self queries and legal-authority queries; true for every other purpose.</summary>
    public static bool RequiresAuthorization(Purpose purpose) =>
        purpose is not (Purpose.PostLoanManagement or Purpose.SelfQuery or Purpose.LegalAuthority);
}
