using Bogus;
using Monitor.Contracts;

namespace Monitor.Simulator;

/// <summary>Builds the bank's branches and accounts from the seed.</summary>
internal static class BankBuilder
{
    public static Bank Build(SimulationOptions o, Randomizer r)
    {
        var branches = new List<SimBranch> { new("HO0001", null, 0) };
        var users = new List<SimUser>();
        var employee = 100000;
        var faker = new Faker { Random = r };
        SimUser User(string prefix, int n, UserRole role, SimBranch b, Channel channel, double daily) =>
            new($"{prefix}{b.BranchId[2..]}{n:D2}", $"E{++employee}", role, b.BranchId, b.ParentBranchId,
                $"T{b.BranchId[2..]}{prefix}{n:D2}", faker.Internet.IpAddress().ToString(), channel, daily);

        var head = branches[0];
        users.Add(User("SA", 1, UserRole.SuperAdmin, head, Channel.Counter, 0));
        users.Add(User("GA", 1, UserRole.GeneralAdmin, head, Channel.Counter, 0));
        users.Add(User("DH", 1, UserRole.DisputeHandler, head, Channel.Counter, 4));
        for (var i = 1; i <= o.Branches; i++)
        {
            var branch = new SimBranch($"BR{i:D2}00", head.BranchId, 1);
            branches.Add(branch);
            users.Add(User("UA", 1, UserRole.UserAdmin, branch, Channel.Counter, 0));
            users.Add(User("DH", 1, UserRole.DisputeHandler, branch, Channel.Counter, 3));
            users.Add(User("BT", 1, UserRole.QueryOperator, branch, Channel.Batch, 30));
            for (var j = 1; j <= o.SubBranchesPerBranch; j++)
            {
                var sub = new SimBranch($"SB{i:D2}{j:D2}", branch.BranchId, 2);
                branches.Add(sub);
                users.Add(User("UA", 1, UserRole.UserAdmin, sub, Channel.Counter, 0));
                for (var k = 1; k <= o.OperatorsPerSubBranch; k++)
                    users.Add(User("QO", k, UserRole.QueryOperator, sub, Channel.Counter, r.Double(8, 30)));
                users.Add(User("WQ", 1, UserRole.WindowQuery, sub, Channel.Counter, r.Double(5, 15)));
                users.Add(User("KS", 1, UserRole.WindowQuery, sub, Channel.SelfServiceKiosk, r.Double(3, 10)));
            }
        }
        return new Bank(branches, users);
    }
}
