using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Alerts;
using Monitor.Detectors.Pipeline;
using Monitor.Detectors.Rules;

namespace Monitor.Detectors;

/// <summary>
/// Detection state of one person (employeeId) across the accounts registered to them: SHARED_ACCOUNT when one
/// person is behind several query accounts, ROLE_CONFLICT when one person holds an administrator and a query
/// role. Fed every event that names the employee.
/// </summary>
public sealed class EmployeeMonitor(string employeeId, DetectorContext context) : IEntityMonitor
{
    private readonly EmployeeAccounts _accounts = new();
    private readonly FindingPublisher _publisher = new(context);
    private readonly LeaverWatch _leaver = new();

    public string EmployeeId => employeeId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        if (e.Type == EventType.Employee)
        {
            _leaver.Hr(e);
            return;
        }
        var c = _publisher.Begin(e, output);
        _accounts.Observe(c, employeeId, _publisher.Findings);
        _leaver.Use(c, employeeId, _publisher.Findings);
        _publisher.Publish(c, output);
    }

    public void EndOfDay(DayClose close, DetectionOutput output)
    {
        var found = _publisher.BeginClosing(close.At);
        _leaver.Close(close, employeeId, _accounts.Held, branch => context.Policies.For(branch, null), context.Calendar, found);
        _publisher.PublishClosing(output);
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(EmployeeMonitor));
        _accounts.Save(w);
        _publisher.Save(w);
        _leaver.Save(w);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(EmployeeMonitor));
        _accounts.Restore(r);
        _publisher.Restore(r);
        _leaver.Restore(r);
    }

    /// <summary>One of the person's accounts from the bank's directory, with its role and when it was last seen.</summary>
    public void Seed(AccountSeed seed) => _accounts.Seed(seed);
}
