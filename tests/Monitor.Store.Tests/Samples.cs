using Monitor.Contracts;
using Monitor.Testing;

namespace Monitor.Store.Tests;

/// <summary>Alerts and commands shaped like the detectors' output.</summary>
internal static class Samples
{
    public static Alert Alert(string id, string user = "UA0101", int revision = 1, string rule = "ADMIN_QUERY", string severity = "critical", int score = 80, DateTimeOffset? at = null) => new()
    {
        AlertId = id, Revision = revision, Rule = rule, EntityType = "user", EntityId = user, UserId = user, BranchId = "SB0101",
        Severity = severity, Score = score, Day = "2026-03-02", EventTime = at ?? Ev.Monday10, LastEventTime = at ?? Ev.Monday10, Count = revision,
        Explanation = $"revision {revision}", Evidence = ["e1"], SuspensionRequested = rule == "ADMIN_QUERY",
    };

    public static PermissionCommand Suspend(string alertId, string user = "UA0101") => new()
    {
        CommandId = StableId.Of("cmd", "suspend", user, alertId), Action = "suspend", UserId = user, BranchId = "SB0101",
        Reason = "ADMIN_QUERY (critical, score 80)", AlertIds = [alertId], IssuedAt = Ev.Monday10,
    };

    public static readonly Actor Officer = new("officer-wang", "officer");
}
