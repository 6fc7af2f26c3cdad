using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// One thing people are told, in both languages, before it is shaped for a channel: its kind (<c>alert</c>,
/// <c>suspension</c>, <c>escalation</c>, <c>valve</c>, or <c>branch-notice</c> for a branch's contact), a key that is
/// the same however often the same thing happens to be seen (a restart publishing an alert's revision again), what
/// routes match on (rule, severity, branch), a title, facts as name and value, an optional text (an explanation, a
/// reason), an optional list (what the branch must verify), and the object it is about for plain-JSON receivers.
/// </summary>
public sealed record Notice
{
    public required string Kind { get; init; }
    public required string Key { get; init; }
    public string? Rule { get; init; }
    public string? Severity { get; init; }
    public string? BranchId { get; init; }
    public required Localized Title { get; init; }
    public IReadOnlyList<(Localized Name, Localized Value)> Facts { get; init; } = [];
    public Localized? Text { get; init; }
    public IReadOnlyList<Localized> Items { get; init; } = [];

    /// <summary>The alert, command, or small record the notice is about, as plain-JSON receivers get it.</summary>
    public object? Subject { get; init; }

    /// <summary>A link to the officers' console, when the settings name one.</summary>
    public string? Link { get; init; }

    /// <summary>When the monitor decided to tell (wall clock).</summary>
    public DateTimeOffset At { get; init; }

    public const string BranchNoticeKind = "branch-notice";
}
