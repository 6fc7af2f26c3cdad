using Monitor.Contracts;

namespace Monitor.Testing;

/// <summary>
/// Builds events for tests in the bank's local time (UTC+8), with ordinary, rule-abiding defaults: an
/// operator at a counter, loan approval authorized a day before, on a working Monday morning.
/// </summary>
public static class Ev
{
    private static int _seq;
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Local time in Shanghai.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, China);

    /// <summary>Monday 2026-03-02 10:00 local: an ordinary working morning.</summary>
    public static DateTimeOffset Monday10 => At(2026, 3, 2, 10);

    public static QueryLogEvent Query(string user = "Q440100", DateTimeOffset? at = null, string branch = "SB0101", Purpose purpose = Purpose.LoanApproval,
        UserRole role = UserRole.QueryOperator, Channel channel = Channel.Counter, Outcome outcome = Outcome.Success, string? id = null)
    {
        var t = at ?? Monday10;
        return new QueryLogEvent
        {
            EventId = id ?? $"t-{Interlocked.Increment(ref _seq):D7}",
            Type = EventType.Query,
            OccurredAt = t,
            UserId = user,
            EmployeeId = "E" + user,
            UserRole = role,
            BranchId = branch,
            ParentBranchId = "BR0100",
            TerminalId = "T-" + user,
            Ip = "10.1.1.1",
            Channel = channel,
            SubjectId = "s" + Interlocked.Increment(ref _seq),
            SubjectType = SubjectType.Individual,
            Purpose = purpose,
            AuthorizationId = Purposes.RequiresAuthorization(purpose) ? "AUTH-" + _seq : null,
            AuthorizedAt = Purposes.RequiresAuthorization(purpose) ? t.AddDays(-1) : null,
            Outcome = outcome,
        };
    }

    public static QueryLogEvent Account(string user, AccountAction action, DateTimeOffset? at = null, string branch = "SB0101") => new()
    {
        EventId = $"t-{Interlocked.Increment(ref _seq):D7}",
        Type = EventType.Account,
        OccurredAt = at ?? Monday10,
        UserId = user,
        BranchId = branch,
        ParentBranchId = "BR0100",
        Action = action,
        ActorUserId = "UA0101",
    };

    /// <summary>The approval register's entry for <paramref name="read"/>: same user, subject and purpose, approved <paramref name="before"/> the read (30 min by default).</summary>
    public static QueryLogEvent Register(QueryLogEvent read, TimeSpan? before = null)
    {
        var approved = read.OccurredAt - (before ?? TimeSpan.FromMinutes(30));
        return new QueryLogEvent
        {
            EventId = $"t-{Interlocked.Increment(ref _seq):D7}",
            Type = EventType.Register,
            OccurredAt = approved,
            UserId = read.UserId,
            BranchId = read.BranchId,
            ParentBranchId = read.ParentBranchId,
            SubjectId = read.SubjectId,
            Purpose = read.Purpose,
            RegisterId = "REG-" + _seq,
            ApprovedBy = "E-APPROVER",
            ApprovedAt = approved,
        };
    }

    /// <summary>An HR event: <paramref name="employeeId"/> joined, left or moved to <paramref name="branch"/>, effective at <paramref name="effective"/> (recorded 5 min later).</summary>
    public static QueryLogEvent Staff(string employeeId, StaffAction action, DateTimeOffset effective, string branch = "SB0101") => new()
    {
        EventId = $"t-{Interlocked.Increment(ref _seq):D7}",
        Type = EventType.Employee,
        OccurredAt = effective.AddMinutes(5),
        UserId = "",
        EmployeeId = employeeId,
        BranchId = branch,
        StaffAction = action,
        EffectiveAt = effective,
    };

    /// <summary>
    /// Three other accounts log in at 03:00 the day after <paramref name="day"/>'s local date: event time (the newest three
    /// users reached) passes that day's end plus the allowed lateness, so the day closes for everyone.
    /// </summary>
    public static QueryLogEvent[] DayAfter(DateTimeOffset day) =>
        [.. Enumerable.Range(1, 3).Select(i => new QueryLogEvent
        {
            EventId = $"t-{Interlocked.Increment(ref _seq):D7}", Type = EventType.Login, OccurredAt = new DateTimeOffset(day.Date.AddDays(1).AddHours(3), China).AddMinutes(i),
            UserId = $"ZZ{i}", BranchId = "SB0909", ParentBranchId = "BR0900", Outcome = Outcome.Success,
        })];

    /// <summary>The smallest valid JSON of a query, for contract tests that change one field.</summary>
    public const string MinimalQueryJson =
        """{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03.120+08:00","userId":"Q1","branchId":"SB0101","purpose":"post_loan_management"}""";
}
