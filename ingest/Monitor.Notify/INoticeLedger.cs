using Monitor.Store;

namespace Monitor.Notify;

/// <summary>Where the notifier keeps what it told: each delivery claimed once (across restarts and nodes), each attempt in the audit log.</summary>
public interface INoticeLedger
{
    /// <summary>True the first time <paramref name="key"/> is claimed; false when it was delivered (or is being delivered) already.</summary>
    Task<bool> ClaimAsync(string key);

    /// <summary>An audit line: <paramref name="action"/> (<c>notification-sent</c>, <c>notification-failed</c>) to <paramref name="target"/>.</summary>
    Task RecordAsync(string action, string target, string? reason, string detail);

    /// <summary>The tree of branches (each branch's parent), for routes and contacts that name a branch above the event's.</summary>
    Task<IReadOnlyDictionary<string, string?>> BranchTreeAsync();

    /// <summary>The branches' names from the bank's directory (<c>monitor import-names</c>), for the notices; none by default.</summary>
    Task<IReadOnlyDictionary<string, string>> BranchNamesAsync() => Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}

/// <summary>The alert store as the notifier's ledger: its <c>notices</c> table and its audit log (docs/store.md).</summary>
public sealed class StoreNoticeLedger(AlertStore store) : INoticeLedger
{
    public Task<bool> ClaimAsync(string key) => store.ClaimNoticeAsync(key);

    public Task RecordAsync(string action, string target, string? reason, string detail) => store.AuditNoticeAsync(action, target, reason, detail);

    public async Task<IReadOnlyDictionary<string, string?>> BranchTreeAsync() => await store.BranchTreeAsync();

    public async Task<IReadOnlyDictionary<string, string>> BranchNamesAsync() => await store.BranchNamesAsync();
}
