using Bogus;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>An incident chosen at planning time: its label is fixed before its events are generated.</summary>
internal sealed class PlannedIncident
{
    private readonly Action<TrafficGenerator, List<QueryLogEvent>> _generate;

    private PlannedIncident(IncidentLabel label, IReadOnlyList<string> touched, Action<TrafficGenerator, List<QueryLogEvent>> generate)
    {
        Label = label with { TouchedUsers = touched };
        TouchedUsers = touched;
        _generate = generate;
    }

    public IncidentLabel Label { get; }
    public IReadOnlyList<string> TouchedUsers { get; }

    public void Generate(TrafficGenerator traffic, List<QueryLogEvent> into) => _generate(traffic, into);

    public static PlannedIncident ForUser(BankSimulator sim, IncidentKind kind, SimUser user, LocalDate date, Randomizer r)
    {
        var (from, to, count) = kind.Name switch
        {
            "off_hours" => (new LocalTime(21, 10), new LocalTime(22, 40), 4),
            "volume_spike" => (new LocalTime(9, 0), new LocalTime(17, 0), 420),
            "admin_query" => (new LocalTime(10, 0), new LocalTime(11, 30), 3),
            _ => (new LocalTime(10, 0), new LocalTime(15, 0), 3),
        };
        var start = sim.At(date, from);
        var end = sim.At(date, to);
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "user", user.UserId, user.UserId, user.BranchId, start, end, kind.Suspends);
        return new PlannedIncident(label, [user.UserId], (t, into) =>
        {
            for (var i = 0; i < count; i++)
            {
                var at = t.RandomTime(date, from, to);
                var q = kind.Name switch
                {
                    "no_authorization" => t.Query(user, at, Purpose.LoanApproval, authorize: false),
                    "query_before_authorization" => t.Query(user, at, Purpose.CreditCardApproval, signedAfter: TimeSpan.FromHours(3)),
                    "admin_query" => t.Query(user, at, Purpose.LoanApproval),
                    _ => t.Query(user, at),
                };
                into.Add(q with { Outcome = Outcome.Success });
            }
        });
    }

    public static PlannedIncident ForBranch(BankSimulator sim, IncidentKind kind, SimBranch branch, LocalDate date, Randomizer r)
    {
        var users = sim.Bank.Users.Where(u => u.BranchId == branch.BranchId && u.Channel == Channel.Counter && u.Role is UserRole.QueryOperator or UserRole.WindowQuery).ToList();
        var from = new LocalTime(9, 0);
        var to = new LocalTime(17, 0);
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "branch", branch.BranchId, null, branch.BranchId, sim.At(date, from), sim.At(date, to), false);
        const int total = 1800;
        return new PlannedIncident(label, users.Select(u => u.UserId).ToList(), (t, into) =>
        {
            for (var i = 0; i < total; i++)
                into.Add(t.Query(users[i % users.Count], t.RandomTime(date, from, to)) with { Outcome = Outcome.Success });
        });
    }
}
