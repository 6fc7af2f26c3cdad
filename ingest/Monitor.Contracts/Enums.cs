namespace Monitor.Contracts;

/// <summary>
/// Kind of log event; queries are what the indicators judge, logins and account changes give them context; register
/// entries (查询审批登记簿) and HR changes come from two more feeds a bank may or may not have.
/// </summary>
public enum EventType { Query, Login, Account, Register, Employee }

/// <summary>The credit-system role of an account; administrators may never read credit information.</summary>
public enum UserRole { QueryOperator, WindowQuery, DisputeHandler, UserAdmin, GeneralAdmin, SuperAdmin }

/// <summary>Where a query came from; kiosks and batch jobs have hours and rules of their own.</summary>
public enum Channel { Counter, SelfServiceKiosk, Batch, Api }

/// <summary>Whether a report is a person's or a company's.</summary>
public enum SubjectType { Individual, Enterprise }

/// <summary>The query purpose chosen by the user (查询用途); decides whether an authorization is required.</summary>
public enum Purpose
{
    LoanApproval, CreditCardApproval, GuarantorReview, PostLoanManagement, MerchantVerification,
    CorporateOfficerReview, DisputeHandling, SelfQuery, LegalAuthority,
}

/// <summary>Result of the operation; only a successful query actually read a report.</summary>
public enum Outcome { Success, Failed, Denied }

/// <summary>What an account event did to the account.</summary>
public enum AccountAction { Created, Disabled, Enabled, Suspended, Reinstated, RoleChanged, PasswordChanged }

/// <summary>What the HR feed says happened to a person: joined the bank, left it, or moved to another branch.</summary>
public enum StaffAction { Joined, Left, Transferred }
