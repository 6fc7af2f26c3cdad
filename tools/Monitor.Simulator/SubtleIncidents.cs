using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// Incidents no rule names, for the behaviour models: each stays under every rule's threshold and only shows as
/// a change in how a user or a sub-branch behaves, against its own weeks of history or against its peers.
/// </summary>
internal static class SubtleIncidents
{
    private static readonly LocalTime From = new(8, 40);
    private static readonly LocalTime To = new(17, 20);

    public static PlannedIncident ForUser(BankSimulator sim, IncidentKind kind, SimUser user, int day, LocalDate date)
    {
        var workDays = Enumerable.Range(day, kind.SpanDays + 1).Where(sim.IsWorkingDay).ToList();
        var last = workDays[^1];
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "user", user.UserId, user.UserId, user.BranchId,
            sim.At(date, From), sim.At(sim.DateOf(last), To), false);
        var days = new Dictionary<int, Action<TrafficGenerator, List<QueryLogEvent>>>();
        switch (kind.Name)
        {
            case "volume_creep":
                // 10% more each working day, compounding: +10%, +21%, +33% ... (2.6 times the usual by the tenth day).
                for (var k = 0; k < workDays.Count; k++)
                {
                    var extra = user.DailyQueries * (Math.Pow(1.1, k + 1) - 1);
                    var on = sim.DateOf(workDays[k]);
                    days[workDays[k]] = (t, into) => t.Queries(user, on, t.Poisson(extra), From, To, into);
                }
                break;
            case "post_loan_shift":
                // The same number of queries, but 60% of them post-loan checks on customers the branch does know.
                sim.Shifts[user.UserId] = new UserShift(day, last, 0.6, 0, null);
                break;
            case "foreign_subjects":
                // Half of the day's reports are on people first read at a branch of another line, with proper authorizations.
                var foreign = sim.Bank.Branches.First(b => b.Level == 2 && b.ParentBranchId != user.ParentBranchId).BranchId;
                sim.Shifts[user.UserId] = new UserShift(day, last, 0, 0.5, foreign);
                break;
            default:
                throw new ArgumentException($"no subtle user incident of kind {kind.Name}");
        }
        return new PlannedIncident(label, [user.UserId], days);
    }

    /// <summary>Every counter clerk of a sub-branch reads twice its usual in one day: each one unremarkable, the sub-branch not.</summary>
    public static PlannedIncident Doubling(BankSimulator sim, IncidentKind kind, SimBranch branch, int day, LocalDate date)
    {
        var users = sim.Bank.Users.Where(u => u.BranchId == branch.BranchId && u.Channel == Channel.Counter && u.DailyQueries > 0).ToList();
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "branch", branch.BranchId, null, branch.BranchId, sim.At(date, From), sim.At(date, To), false);
        return new PlannedIncident(label, users.Select(u => u.UserId).ToList(), new()
        {
            [day] = (t, into) =>
            {
                foreach (var u in users) t.Queries(u, date, t.Poisson(u.DailyQueries), From, To, into);
            },
        });
    }
}
