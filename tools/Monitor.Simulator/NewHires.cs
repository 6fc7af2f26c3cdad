using Bogus;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// New hires (<see cref="SimulationOptions.NewHires"/>): query operators who join a sub-branch during the run. Their
/// branch's administrator creates the account at 09:00 of the first day (HR's <c>joined</c> comes first when the feeds
/// run); from then on the account reads like any operator, ramping up (<see cref="BankSimulator.VolumeFactor"/>). Each is
/// a quiet label: ordinary life the monitor must not alert on.
/// </summary>
internal static class NewHires
{
    /// <summary>One hire: the account, the day it joins, the label, and what happens on that day before its own traffic.</summary>
    public sealed record Hire(SimUser User, int Day, IncidentLabel Label, Action<TrafficGenerator, List<QueryLogEvent>> Join);

    public static List<Hire> Plan(BankSimulator sim, SimulationOptions o, Randomizer r)
    {
        var hires = new List<Hire>();
        var days = Enumerable.Range(14, Math.Max(0, o.Days - 24)).Where(sim.IsWorkingDay).ToList();
        var subs = sim.Bank.Branches.Where(b => b.Level == 2).ToList();
        for (var i = 0; i < o.NewHires && days.Count > 0 && subs.Count > 0; i++)
        {
            var day = days[r.Number(0, days.Count - 1)];
            var branch = subs[r.Number(0, subs.Count - 1)];
            var n = 50 + i;
            var user = new SimUser($"QN{branch.BranchId[2..]}{n:D2}", $"E7{branch.BranchId[2..]}{n:D2}", UserRole.QueryOperator, branch.BranchId, branch.ParentBranchId,
                $"T{branch.BranchId[2..]}QN{n:D2}", $"10.70.{i / 250}.{i % 250 + 2}", Channel.Counter, r.Double(8, 30));
            var date = sim.DateOf(day);
            var admin = "UA" + branch.BranchId[2..] + "01";
            var label = new IncidentLabel("new_hire", [], "user", user.UserId, user.UserId, user.BranchId,
                sim.At(date, new LocalTime(9, 0)), sim.At(date.PlusDays(30), new LocalTime(9, 0)), false);
            var feeds = o.Feeds;
            hires.Add(new Hire(user, day, label, (t, into) =>
            {
                if (feeds)
                {
                    var hr = sim.At(date, new LocalTime(8, 30));
                    into.Add(new QueryLogEvent
                    {
                        EventId = sim.NextLaterEventId(), Type = EventType.Employee, OccurredAt = hr, UserId = "", EmployeeId = user.EmployeeId,
                        BranchId = user.BranchId, StaffAction = StaffAction.Joined, EffectiveAt = hr,
                    });
                }
                into.Add(t.Account(user, sim.At(date, new LocalTime(8, 10)), AccountAction.Created, admin));
            }));
        }
        return hires;
    }
}
