using Bogus;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// Low and slow (issue 18): a user who adds three or four post-loan reads a day of subjects its branch never
/// authorised, for three weeks. Each day stays under POST_LOAN_ABUSE's threshold of five a day and the volume hardly
/// moves; only the sum over days gives it away.
/// </summary>
internal static class SlowIncidents
{
    private static readonly LocalTime From = new(9, 0);
    private static readonly LocalTime To = new(17, 0);

    public static PlannedIncident LowAndSlow(BankSimulator sim, IncidentKind kind, SimUser user, int day, Randomizer r)
    {
        var workDays = Enumerable.Range(day, kind.SpanDays + 1).Where(sim.IsWorkingDay).ToList();
        var days = new Dictionary<int, Action<TrafficGenerator, List<QueryLogEvent>>>();
        foreach (var d in workDays)
        {
            var on = sim.DateOf(d);
            var count = r.Number(3, 4);
            days[d] = (t, into) =>
            {
                for (var i = 0; i < count; i++)
                {
                    var read = t.Query(user, t.RandomTime(on, From, To), Purpose.PostLoanManagement, subject: t.NewSubject()) with { Outcome = Outcome.Success };
                    into.Add(read);
                    // Entered in the post-loan register like every read: nothing but the subjects betrays it.
                    if (sim.Feed is { } feed) into.Add(feed.RegisterLater(read, r));
                }
            };
        }
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "user", user.UserId, user.UserId, user.BranchId,
            sim.At(sim.DateOf(workDays[0]), From), sim.At(sim.DateOf(workDays[^1]), To), kind.Suspends);
        return new PlannedIncident(label, [user.UserId], days);
    }
}
