using Microsoft.Data.Sqlite;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor import-names</c> as a bank runs it whenever its directory changes: the names go into the alert store
/// (where every node's API finds them), one line says how many; a bad row exits 2 naming the file, its line and field,
/// and changes no name.
/// </summary>
public sealed class ImportNamesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-names-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_directory_file_names_branches_employees_and_account_holders_in_the_store_and_a_bad_row_imports_nothing()
    {
        var store = Path.Combine(_dir.FullName, "monitor.db");
        var csv = Path.Combine(_dir.FullName, "names.csv");
        await File.WriteAllTextAsync(csv, "kind,id,name\nbranch,SB0101,杭州城东支行\nbranch,BR0100,杭州分行\nemployee,E100006,张伟\nuser,QO010101,张伟\n");
        var (code, stderr) = await Cli.Run("import-names", csv, "--store", store);
        Assert.True(code == 0, stderr);
        Assert.Equal($"imported 2 branches, 1 employee, 1 user: 4 new, 0 renamed, 0 unchanged from names.csv into {store}", stderr.Trim());

        // A bad row (a kind the directory does not have) after a renamed branch: exit 2, one line, and the rename not taken.
        var bad = Path.Combine(_dir.FullName, "names-bad.csv");
        await File.WriteAllTextAsync(bad, "kind,id,name\nbranch,SB0101,杭州城东支行营业部\nteller,T1,柜员一\n");
        var refused = await Cli.Run("import-names", bad, "--store", store);
        Assert.Equal(2, refused.Code);
        Assert.Equal("monitor: names-bad.csv line 3, field kind: unknown value: 'kind' is 'teller', expected one of branch|employee|user; nothing imported", refused.Stderr.Trim());

        // A missing file: one line, exit 2.
        var missing = await Cli.Run("import-names", Path.Combine(_dir.FullName, "nope.csv"), "--store", store);
        Assert.Equal(2, missing.Code);
        Assert.StartsWith("monitor: ", missing.Stderr.Trim());
        Assert.Single(missing.Stderr.Trim().Split('\n'));

        SqliteConnection.ClearAllPools();
        var opened = await AlertStore.OpenAsync(store, TimeProvider.System);
        var names = await opened.NamesAsync(["SB0101", "BR0100"], ["QO010101"], ["E100006"]);
        Assert.Equal(("杭州城东支行", "杭州分行", "张伟", "张伟"), (names.Branch("SB0101"), names.Branch("BR0100"), names.User("QO010101"), names.Employee("E100006")));
        Assert.Contains((await opened.SearchAuditAsync(new AuditQuery { Action = "names-import" })).Entries, e => e.Target == "names.csv");
    }

    [Fact]
    public async Task The_simulated_banks_directory_imports_with_a_chinese_name_for_every_branch_and_account()
    {
        var names = Path.Combine(_dir.FullName, "names.csv");
        var (code, stderr) = await Cli.Run("simulate", "--output", Path.Combine(_dir.FullName, "events.jsonl"), "--labels", Path.Combine(_dir.FullName, "labels.jsonl"),
            "--days", "1", "--names", names);
        Assert.True(code == 0, stderr);
        var rows = (await File.ReadAllLinesAsync(names)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Contains(rows, r => r is ["branch", "HO0001", "总行"]);
        Assert.All(rows.Where(r => r[0] == "branch" && r[1].StartsWith("SB", StringComparison.Ordinal)), r => Assert.Matches("^[\\u4e00-\\u9fff]+支行$", r[2]));
        Assert.All(rows, r => Assert.Matches("^[\\u4e00-\\u9fff]+$", r[2]));
        (code, stderr) = await Cli.Run("import-names", names, "--store", Path.Combine(_dir.FullName, "monitor.db"));
        Assert.True(code == 0, stderr);
        Assert.Contains($"{rows.Count(r => r[0] == "branch")} branches", stderr);
    }
}
