namespace Monitor.Contracts;

/// <summary>
/// One validated query-log event. Everything downstream works on this type only, so a detector never sees
/// a missing required field, an unknown enum value or a timestamp without its offset.
/// </summary>
public sealed record QueryLogEvent
{
    public required string EventId { get; init; }
    public required EventType Type { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string UserId { get; init; }
    public required string BranchId { get; init; }
    public string? EmployeeId { get; init; }
    public UserRole? UserRole { get; init; }
    public string? ParentBranchId { get; init; }
    public string? TerminalId { get; init; }
    public string? Ip { get; init; }
    public Channel? Channel { get; init; }
    public string? SubjectId
    {
        get => _subjectId;
        init
        {
            _subjectId = value;
            SubjectKey = string.IsNullOrEmpty(value) ? 0 : KeyOf(value);
        }
    }

    /// <summary>
    /// The subject id as a stable 64-bit key (FNV-1a; 0 when there is no subject), worked out once here because
    /// half a dozen detectors key their per-subject state by it and must not keep the strings alive.
    /// </summary>
    public ulong SubjectKey { get; private init; }

    public SubjectType? SubjectType { get; init; }
    public Purpose? Purpose { get; init; }
    public string? AuthorizationId { get; init; }
    public DateTimeOffset? AuthorizedAt { get; init; }
    public Outcome? Outcome { get; init; }
    public AccountAction? Action { get; init; }
    public string? ActorUserId { get; init; }

    /// <summary>On <c>register</c> events: the approval register's entry (查询审批登记簿), who approved it and when.</summary>
    public string? RegisterId { get; init; }

    public string? ApprovedBy { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>On <c>employee</c> events (the HR feed): what happened to the person, and from when it holds.</summary>
    public StaffAction? StaffAction { get; init; }

    public DateTimeOffset? EffectiveAt { get; init; }

    /// <summary>
    /// Not on the wire: set by the monitor's coordinator when this query's subject was first read at a branch
    /// outside the querying branch's line (neither above nor below it), a feature of the behaviour models.
    /// </summary>
    public bool SubjectFirstSeenElsewhere { get; init; }

    /// <summary>
    /// Not on the wire: set by the monitor's coordinator on a delivered report when the querying user's peers (its bank
    /// and its branch, the user left out) are reading more than usual so far that day, e.g. 1.8 on a quarter-end; rules
    /// that compare the user with its own usual scale their expectation by it (issue 18). 1 on an ordinary day.
    /// </summary>
    public double PeerFactor { get; init; } = 1;

    /// <summary>Not on the wire: as <see cref="PeerFactor"/>, for the querying user's branch against the rest of the bank.</summary>
    public double BranchPeerFactor { get; init; } = 1;

    /// <summary>
    /// Not on the wire: how far the rest of the querying user's branch is above its usual so far that day, relative to the
    /// rest of the bank (1 when not); a surge of the whole branch is one cause, and its users' alerts join the branch-day's case.
    /// </summary>
    public double BranchSurge { get; init; } = 1;

    private readonly string? _subjectId;

    /// <summary>The key <see cref="SubjectKey"/> holds for a subject id.</summary>
    public static ulong KeyOf(string subjectId)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in subjectId) h = unchecked((h ^ ch) * 1099511628211UL);
        return h;
    }

    /// <summary>The Kafka key the contract asks for: the userId (one account's events in order), the employeeId for HR events.</summary>
    public string Key => Type == EventType.Employee ? EmployeeId ?? "" : UserId;

    /// <summary>True when this event read (or tried to read) a credit report.</summary>
    public bool IsQuery => Type == EventType.Query;

    /// <summary>True when a report was actually delivered: a query whose outcome is success (or not stated).</summary>
    public bool IsSuccessfulQuery => Type == EventType.Query && Outcome is null or Contracts.Outcome.Success;
}
