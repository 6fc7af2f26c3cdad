using Monitor.Contracts;
using Monitor.Detectors.Alerts;
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
    private readonly List<Finding> _findings = new(2);

    public string EmployeeId => employeeId;

    public void Process(QueryLogEvent e, DetectionOutput output)
    {
        var now = context.Current;
        var c = EventContext.Of(e, now.Policies, now.Calendar);
        _publisher.Book.AdvanceTo(e.OccurredAt, now.Settings.AllowedLateness, c.Policy.Zone, output.Alerts);
        _findings.Clear();
        _accounts.Observe(c, employeeId, _findings);
        _publisher.Publish(_findings, c, output);
    }
}
