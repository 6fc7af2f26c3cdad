using Bogus;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Simulator;

/// <summary>
/// An incident chosen at planning time: its label is fixed before its events are generated. Its events may
/// span several days (keyed by day index), and it may silence its user for a while (an idle spell, a
/// disabled account) or keep the user's password from being changed.
/// </summary>
internal sealed class PlannedIncident
{
    internal PlannedIncident(IncidentLabel label, IReadOnlyList<string> touched, Dictionary<int, Action<TrafficGenerator, List<QueryLogEvent>>> days)
    {
        Label = label with { TouchedUsers = touched };
        TouchedUsers = touched;
        Days = days;
    }

    public IncidentLabel Label { get; }
    public IReadOnlyList<string> TouchedUsers { get; }
    public Dictionary<int, Action<TrafficGenerator, List<QueryLogEvent>>> Days { get; }

    /// <summary>Day indexes on which the touched user does nothing of its own.</summary>
    public (int From, int To)? Silence { get; private init; }

    /// <summary>Whether the user's password is never changed in the run.</summary>
    public bool KeepsPassword { get; private init; }

    public static PlannedIncident ForUser(BankSimulator sim, IncidentKind kind, SimUser user, int day, LocalDate date, Randomizer r)
    {
        DateTimeOffset At(LocalTime t, int plusDays = 0) => sim.At(date.PlusDays(plusDays), t);
        IncidentLabel Label(LocalTime from, LocalTime to, int toPlusDays = 0) =>
            new(kind.Name, kind.ExpectedRules, "user", user.UserId, user.UserId, user.BranchId, At(from), At(to, toPlusDays), kind.Suspends);
        PlannedIncident One(IncidentLabel label, Action<TrafficGenerator, List<QueryLogEvent>> generate) => new(label, [user.UserId], new() { [day] = generate });
        var ten = new LocalTime(10, 0);
        var three = new LocalTime(15, 0);

        switch (kind.Name)
        {
            case "off_hours":
                return One(Label(new(21, 10), new(22, 40)), (t, into) => Repeat(4, () => t.Query(user, t.RandomTime(date, new(21, 10), new(22, 40))), into));
            case "volume_spike":
                return One(Label(new(9, 0), new(17, 0)), (t, into) => Repeat(420, () => t.Query(user, t.RandomTime(date, new(9, 0), new(17, 0))), into));
            case "admin_query":
                return One(Label(ten, new(11, 30)), (t, into) => Repeat(3, () => t.Query(user, t.RandomTime(date, ten, new(11, 30)), Purpose.LoanApproval), into));
            case "no_authorization":
                return One(Label(ten, three), (t, into) => Repeat(3, () => t.Query(user, t.RandomTime(date, ten, three), Purpose.LoanApproval, authorize: false), into));
            case "query_before_authorization":
                return One(Label(ten, three), (t, into) => Repeat(3, () => t.Query(user, t.RandomTime(date, ten, three), Purpose.CreditCardApproval, signedAfter: TimeSpan.FromHours(3)), into));
            case "shared_account":
                return One(Label(ten, new(15, 10)), (t, into) =>
                {
                    for (var i = 0; i < 4; i++)
                    {
                        var at = t.RandomTime(date, ten, three);
                        into.Add(Success(t.Query(user, at)));
                        into.Add(Success(t.Query(user, at.AddMinutes(3))) with { TerminalId = "TX" + user.UserId, Ip = "10.99.0." + (i + 7) });
                    }
                });
            case "repeated_subject":
                return One(Label(ten, three), (t, into) =>
                {
                    var subject = t.NewSubject();
                    Repeat(6, () => t.Query(user, t.RandomTime(date, ten, three), Purpose.LoanApproval, subject: subject), into);
                });
            case "post_loan_abuse":
                return One(Label(ten, new(16, 0)), (t, into) => Repeat(15, () => t.Query(user, t.RandomTime(date, ten, new(16, 0)), Purpose.PostLoanManagement, subject: t.NewSubject()), into));
            case "dormant_account":
                return new PlannedIncident(Label(new(8, 0), new(12, 0)), [user.UserId], new() { [day] = (t, into) => Repeat(2, () => t.Query(user, t.RandomTime(date, new(8, 0), new(8, 15))), into) })
                {
                    Silence = (day - 35, day - 1),
                };
            case "disabled_account_query":
                return new PlannedIncident(Label(new(9, 0), new(17, 30)), [user.UserId], new()
                {
                    [day] = (t, into) =>
                    {
                        into.Add(t.Account(user, At(new(9, 0)), AccountAction.Disabled, "UA" + user.BranchId[2..] + "01"));
                        Repeat(2, () => t.Query(user, t.RandomTime(date, ten, new(11, 0))), into);
                    },
                })
                {
                    Silence = (day + 1, int.MaxValue),
                };
            case "window_terminal":
                // A window-query account used on a colleague's machine instead of the branch's dedicated one.
                return One(Label(ten, three), (t, into) =>
                {
                    for (var i = 0; i < 3; i++) into.Add(Success(t.Query(user, t.RandomTime(date, ten, three))) with { TerminalId = "TW" + user.UserId[2..], Ip = "10.98.0." + (i + 7) });
                });
            case "kiosk_off_hours":
                return One(Label(new(21, 0), new(22, 0)), (t, into) => Repeat(3, () => t.Query(user, t.RandomTime(date, new(21, 0), new(22, 0))), into));
            case "login_failures":
                return One(Label(new(12, 0), new(12, 6)), (t, into) =>
                {
                    for (var i = 0; i < 7; i++) into.Add(t.Login(user, At(new(12, 0)).AddSeconds(40 * i), Outcome.Failed));
                });
            case "password_age":
                return PasswordAge(sim, kind, user, day, date);
            case "role_conflict":
                var admin = user with { UserId = "UX" + user.UserId[2..], Role = UserRole.UserAdmin, TerminalId = "TX" + user.UserId, Channel = Channel.Counter, DailyQueries = 0 };
                return new PlannedIncident(
                    new IncidentLabel(kind.Name, kind.ExpectedRules, "employee", user.EmployeeId, user.UserId, user.BranchId, At(new(9, 0)), At(new(14, 30)), false),
                    [user.UserId, admin.UserId], new()
                    {
                        [day] = (t, into) =>
                        {
                            // created by the branch above's administrator, as the rules want: the conflict is the person's, not the creator's
                            into.Add(t.Account(admin, At(new(9, 0)), AccountAction.Created, "UA" + (user.ParentBranchId ?? user.BranchId)[2..] + "01"));
                            into.Add(t.Login(admin, At(new(9, 5)), Outcome.Success));
                            into.Add(t.Login(admin, At(new(14, 0)), Outcome.Success));
                        },
                    });
            case "repeat_ratio":
                var days = new Dictionary<int, Action<TrafficGenerator, List<QueryLogEvent>>>();
                for (var d = 0; d < 3; d++)
                {
                    var on = date.PlusDays(d);
                    days[day + d] = (t, into) =>
                    {
                        var earlier = t.Recent(user).Distinct().TakeLast(60).ToList();
                        foreach (var subject in r.Shuffle(earlier).Take(35))
                            into.Add(Success(t.Query(user, t.RandomTime(on, new(9, 0), new(17, 0)), Purpose.LoanApproval, subject: subject)));
                    };
                }
                return new PlannedIncident(Label(new(9, 0), new(17, 0), 2), [user.UserId], days);
            default:
                throw new ArgumentException($"no user incident of kind {kind.Name}");
        }
    }

    public static PlannedIncident ForBranch(BankSimulator sim, IncidentKind kind, SimBranch branch, int day, LocalDate date)
    {
        var users = sim.Bank.Users.Where(u => u.BranchId == branch.BranchId && u.Channel == Channel.Counter && u.Role is UserRole.QueryOperator or UserRole.WindowQuery).ToList();
        var from = new LocalTime(9, 0);
        var to = new LocalTime(17, 0);
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "branch", branch.BranchId, null, branch.BranchId, sim.At(date, from), sim.At(date, to), false);
        const int total = 1800;
        return new PlannedIncident(label, users.Select(u => u.UserId).ToList(), new()
        {
            [day] = (t, into) =>
            {
                for (var i = 0; i < total; i++) into.Add(Success(t.Query(users[i % users.Count], t.RandomTime(date, from, to))));
            },
        });
    }

    /// <summary>The password is changed on the run's first working day, then never: the incident is its first use past two months.</summary>
    private static PlannedIncident PasswordAge(BankSimulator sim, IncidentKind kind, SimUser user, int day, LocalDate date)
    {
        var changedOn = sim.FirstWorkingDay;
        var changedAt = sim.At(sim.DateOf(changedOn), new LocalTime(8, 45));
        var due = changedAt.AddMonths(2);
        var label = new IncidentLabel(kind.Name, kind.ExpectedRules, "user", user.UserId, user.UserId, user.BranchId, due, sim.At(date, new LocalTime(18, 0)), false);
        return new PlannedIncident(label, [user.UserId], new()
        {
            [changedOn] = (t, into) => into.Add(t.Account(user, changedAt, AccountAction.PasswordChanged)),
        })
        {
            KeepsPassword = true,
        };
    }

    private static QueryLogEvent Success(QueryLogEvent q) => q with { Outcome = Outcome.Success };

    private static void Repeat(int count, Func<QueryLogEvent> make, List<QueryLogEvent> into)
    {
        for (var i = 0; i < count; i++) into.Add(Success(make()));
    }
}
