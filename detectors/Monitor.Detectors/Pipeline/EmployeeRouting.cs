using Monitor.Contracts.State;
using Monitor.Contracts;

namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Decides which events the employee actors need. Nearly every person has one account, and one account alone
/// can never share or conflict, so an employee's actor gets each account's first event of a UTC day (enough
/// to know the account, its role and when it was last seen), every account event, and everything once the
/// person shows a second account. This keeps the employee rules from doubling the messages of the graph.
/// </summary>
public sealed class EmployeeRouting : IDurableState
{
    private readonly Dictionary<string, Dictionary<string, long>> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _leaving = new(StringComparer.Ordinal); // employee → last UTC day to route everything

    /// <summary>
    /// HR says the person left or moved: every event of their accounts goes to their actor until <paramref name="until"/>,
    /// so a use after the effective time is seen at once, not only the day's first.
    /// </summary>
    public void Leaving(string employeeId, DateTimeOffset until)
    {
        var day = until.UtcTicks / TimeSpan.TicksPerDay;
        if (!_leaving.TryGetValue(employeeId, out var known) || known < day) _leaving[employeeId] = day;
    }

    public bool Needs(QueryLogEvent e)
    {
        if (string.IsNullOrEmpty(e.EmployeeId)) return false;
        if (_leaving.Count > 0 && _leaving.TryGetValue(e.EmployeeId, out var leavingUntil))
        {
            if (e.OccurredAt.UtcTicks / TimeSpan.TicksPerDay <= leavingUntil) return true;
            _leaving.Remove(e.EmployeeId);
        }
        var day = e.OccurredAt.UtcTicks / TimeSpan.TicksPerDay;
        if (!_accounts.TryGetValue(e.EmployeeId, out var accounts)) _accounts[e.EmployeeId] = accounts = new Dictionary<string, long>(1, StringComparer.Ordinal);
        var known = accounts.TryGetValue(e.UserId, out var lastDay);
        if (!known || day > lastDay) accounts[e.UserId] = day;
        return accounts.Count > 1 || e.Type == EventType.Account || !known || day > lastDay;
    }

    public void Save(StateWriter w)
    {
        w.Section("EmployeeRouting");
        w.Write(_accounts, static (w, k) => w.Write(k), static (w, v) => w.Write(v, static (w, k) => w.Write(k), static (w, d) => w.Write(d)));
        w.Write(_leaving, static (w, k) => w.Write(k), static (w, d) => w.Write(d));
    }

    public void Restore(StateReader r)
    {
        r.Section("EmployeeRouting");
        _accounts.Clear();
        r.ReadInto(_accounts, static r => r.ReadString(), static r =>
        {
            var accounts = new Dictionary<string, long>(1, StringComparer.Ordinal);
            r.ReadInto(accounts, static r => r.ReadString(), static r => r.ReadLong());
            return accounts;
        });
        _leaving.Clear();
        r.ReadInto(_leaving, static r => r.ReadString(), static r => r.ReadLong());
    }
}
