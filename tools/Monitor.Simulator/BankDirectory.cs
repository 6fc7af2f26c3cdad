using System.Text;
using Monitor.Contracts;

namespace Monitor.Simulator;

/// <summary>
/// The simulated bank's directory of names, as a bank's organisation and HR systems would export it for
/// <c>monitor import-names</c>: 总行, a city's 分行 for each branch, a district's 支行 for each sub-branch, a person's
/// name for each employee, and for each account its holder's (a kiosk's and a batch account's say what they are).
/// Derived from the ids alone, never from the simulation's random stream, so adding names changes no event.
/// </summary>
public static class BankDirectory
{
    private static readonly string[] Cities = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "台州", "丽水", "衢州", "舟山", "义乌"];
    private static readonly string[] Districts = ["城东", "城西", "城南", "城北", "高新区", "开发区", "中山路", "人民路", "解放路", "新城", "滨江", "江北"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
        "秀英", "建华", "志强", "海燕", "晓东", "丽娟", "文杰", "雪梅", "国平", "红梅", "宇航", "思雨", "嘉怡", "子涵", "浩然", "欣怡"];

    /// <summary>Every branch, employee and account of <paramref name="bank"/> with its name.</summary>
    public static IReadOnlyList<DirectoryName> Names(Bank bank)
    {
        var branches = bank.Branches.ToDictionary(b => b.BranchId, Branch);
        var names = new List<DirectoryName>();
        names.AddRange(bank.Branches.Select(b => new DirectoryName(DirectoryName.Branch, b.BranchId, branches[b.BranchId])));
        names.AddRange(bank.Users.DistinctBy(u => u.EmployeeId).Select(u => new DirectoryName(DirectoryName.Employee, u.EmployeeId, Person(u.EmployeeId))));
        names.AddRange(bank.Users.Select(u => new DirectoryName(DirectoryName.User, u.UserId, u.Channel switch
        {
            Channel.SelfServiceKiosk => branches.GetValueOrDefault(u.BranchId, u.BranchId) + "自助查询机",
            Channel.Batch => branches.GetValueOrDefault(u.BranchId, u.BranchId) + "批量查询",
            _ => Person(u.EmployeeId),
        })));
        return names;
    }

    /// <summary>The names as the CSV file <c>import-names</c> reads (UTF-8, header kind,id,name).</summary>
    public static string Csv(IEnumerable<DirectoryName> names)
    {
        var csv = new StringBuilder("kind,id,name\n");
        foreach (var n in names) csv.Append(Field(n.Kind)).Append(',').Append(Field(n.Id)).Append(',').Append(Field(n.Name)).Append('\n');
        return csv.ToString();

        static string Field(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static string Branch(SimBranch b) => b.Level switch
    {
        0 => "总行",
        1 => City(b.BranchId) + "分行",
        _ => City(b.ParentBranchId ?? b.BranchId) + Districts[(Number(b.BranchId[4..]) - 1 + Districts.Length) % Districts.Length] + "支行",
    };

    /// <summary>BR0300 and its sub-branches SB03xx: the third city.</summary>
    private static string City(string branchId) => Cities[(Number(branchId[2..4]) - 1 + Cities.Length) % Cities.Length];

    private static int Number(string digits) => int.TryParse(digits, out var n) ? n : 0;

    /// <summary>A person's name from the employee id: stable, so the same employee has the same name in every run.</summary>
    private static string Person(string employeeId)
    {
        var h = 2166136261u;
        foreach (var c in employeeId) h = unchecked((h ^ c) * 16777619u);
        return Surnames[h % (uint)Surnames.Length] + Given[(h / (uint)Surnames.Length) % (uint)Given.Length];
    }
}
