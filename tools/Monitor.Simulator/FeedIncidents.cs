using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// The incidents of the rules on the register and HR feeds and on administrators' changes (<see cref="IncidentKind.FeedKinds"/>):
/// reads left out of the approval register, a leaver whose account stays enabled, a leaver who reads again, an
/// administrator creating one of its own level, a night-time burst of new accounts, a month's worth of password resets
/// in one day. Labelled as the others: the label names every account whose events make the incident.
/// </summary>
internal static class FeedIncidents
{
    public static PlannedIncident? Plan(BankSimulator sim, FeedTraffic feed, IncidentKind kind, int day, List<SimUser> operators, List<SimUser> admins)
    {
        var date = sim.DateOf(day);
        DateTimeOffset At(LocalTime t) => sim.At(date, t);
        IncidentLabel Label(SimUser u, DateTimeOffset from, DateTimeOffset to) =>
            new(kind.Name, kind.ExpectedRules, "user", u.UserId, u.UserId, u.BranchId, from, to, kind.Suspends);
        PlannedIncident One(SimUser u, DateTimeOffset from, DateTimeOffset to, Action<TrafficGenerator, List<QueryLogEvent>> generate) =>
            new(Label(u, from, to), [u.UserId], new() { [day] = generate });

        switch (kind.Name)
        {
            case "register_mismatch" when BankSimulator.Take(operators) is { } op:
                return One(op, At(new(10, 0)), At(new(15, 0)), (t, into) =>
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var q = t.Query(op, t.RandomTime(date, new(10, 0), new(15, 0)), Purpose.LoanApproval) with { Outcome = Outcome.Success };
                        feed.Unregistered.Add(q.EventId);
                        into.Add(q);
                    }
                });
            case "leaver_account" when BankSimulator.Take(operators) is { } op:
            {
                sim.Silence(op.UserId, day + 1);
                // the violation begins when the third working day after the leaving is over with the account still enabled
                var overdue = sim.Calendar.WorkingDaysAfter(date, 3).PlusDays(1);
                return One(op, sim.At(overdue, LocalTime.Midnight), sim.At(overdue, new(6, 0)), (_, into) => into.Add(feed.Hr(op.EmployeeId, StaffAction.Left, op.BranchId, day, new(17, 30))));
            }
            case "leaver_reading" when BankSimulator.Take(operators) is { } op:
            {
                sim.Silence(op.UserId, day - 2);
                var left = day - 3;
                feed.At(left, (_, into) => into.Add(feed.Hr(op.EmployeeId, StaffAction.Left, op.BranchId, left, new(18, 0))));
                return One(op, At(new(10, 0)), At(new(11, 0)), (t, into) =>
                {
                    for (var i = 0; i < 3; i++) into.Add(t.Query(op, t.RandomTime(date, new(10, 0), new(11, 0)), Purpose.LoanApproval) with { Outcome = Outcome.Success });
                });
            }
            case "admin_same_level" when BankSimulator.Take(admins, a => a.BranchId.StartsWith("SB", StringComparison.Ordinal)) is { } admin:
                return One(admin, At(new(10, 30)), At(new(10, 31)), (t, into) =>
                    into.Add(t.Account(Fresh(admin, "UA", 99, UserRole.UserAdmin, admin.BranchId, admin.ParentBranchId), At(new(10, 30)), AccountAction.Created, admin.UserId)));
            case "admin_burst" when BankSimulator.Take(admins, a => a.BranchId.StartsWith("BR", StringComparison.Ordinal)) is { } admin:
            {
                var subs = sim.Bank.Branches.Where(b => b.ParentBranchId == admin.BranchId).ToList();
                return One(admin, At(new(21, 30)), At(new(21, 55)), (t, into) =>
                {
                    for (var i = 0; i < 12; i++)
                        into.Add(t.Account(Fresh(admin, "QN", 80 + i, UserRole.QueryOperator, subs[i % subs.Count].BranchId, admin.BranchId), At(new(21, 30)).AddMinutes(2 * i), AccountAction.Created, admin.UserId));
                });
            }
            case "admin_password_resets" when BankSimulator.Take(admins, a => a.BranchId.StartsWith("SB", StringComparison.Ordinal) && Untouched(sim, feed, a.BranchId).Count > 0) is { } admin:
            {
                var own = Untouched(sim, feed, admin.BranchId);
                return One(admin, At(new(9, 0)), At(new(16, 30)), (t, into) =>
                {
                    for (var i = 0; i < 24; i++) into.Add(t.Account(own[i % own.Count], t.RandomTime(date, new(9, 0), new(16, 30)), AccountAction.PasswordChanged, admin.UserId));
                });
            }
            default:
                return null;
        }
    }

    /// <summary>The operators of a branch no incident touches (an incident's account must keep its own story).</summary>
    private static List<SimUser> Untouched(BankSimulator sim, FeedTraffic feed, string branchId) =>
        sim.Bank.Operators.Where(u => u.BranchId == branchId && !feed.Touched.Contains(u.UserId)).ToList();

    /// <summary>A new account the administrator creates: nobody's yet, with an employee of its own.</summary>
    private static SimUser Fresh(SimUser admin, string prefix, int n, UserRole role, string branchId, string? parentBranchId) =>
        new($"{prefix}{branchId[2..]}{n:D2}", $"E8{branchId[2..]}{n:D2}", role, branchId, parentBranchId, $"T{branchId[2..]}{prefix}{n:D2}", admin.Ip, Channel.Counter, 0);
}
