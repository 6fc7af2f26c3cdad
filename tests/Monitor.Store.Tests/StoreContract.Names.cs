using Monitor.Contracts;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>The bank's directory of names in the store (<c>monitor import-names</c>), whichever database.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Imported_names_are_looked_up_by_kind_a_second_import_renames_and_adds_and_removes_none_each_in_the_audit_log()
    {
        var (store, _) = await NewAsync();
        var first = await store.ImportNamesAsync(
            [new("branch", "SB0101", "杭州城东支行"), new("employee", "E100006", "张伟"), new("user", "QO010101", "张伟"), new("user", "QO010102", "李娜")],
            "names.csv", Samples.Officer);
        Assert.Equal((4, 4, 0), (first.Rows, first.Added, first.Renamed));
        Assert.Equal("1 branch, 1 employee, 2 users: 4 new, 0 renamed, 0 unchanged", first.Line);

        var names = await store.NamesAsync(["SB0101", "SB0102", null], ["QO010101", "QO010102", "E100006"], ["E100006", "SB0101"]);
        Assert.Equal("杭州城东支行", names.Branch("SB0101"));
        Assert.Null(names.Branch("SB0102")); // not in the directory
        Assert.Equal(("张伟", "李娜"), (names.User("QO010101"), names.User("QO010102")));
        Assert.Null(names.User("E100006")); // an employee's id is not an account's
        Assert.Equal("张伟", names.Employee("E100006"));
        Assert.Null(names.Employee("SB0101"));

        // The branch renamed, a new one added; the users not in this file keep their names (old alerts still name them).
        var second = await store.ImportNamesAsync([new("branch", "SB0101", "杭州城东支行营业部"), new("branch", "SB0102", "杭州城西支行"), new("employee", "E100006", "张伟")],
            "names-2.csv", Samples.Officer);
        Assert.Equal((3, 1, 1), (second.Rows, second.Added, second.Renamed));
        names = await store.NamesAsync(["SB0101", "SB0102"], ["QO010101"], []);
        Assert.Equal(("杭州城东支行营业部", "杭州城西支行", "张伟"), (names.Branch("SB0101"), names.Branch("SB0102"), names.User("QO010101")));

        var audit = await store.SearchAuditAsync(new AuditQuery { Action = "names-import" });
        Assert.Equal([("names-2.csv", "2 branches, 1 employee, 0 users: 1 new, 1 renamed, 1 unchanged"), ("names.csv", first.Line)],
            audit.Entries.Select(e => (e.Target, e.Detail)));
        Assert.True((await store.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task A_lookup_of_more_ids_than_one_query_takes_finds_every_name()
    {
        var (store, _) = await NewAsync();
        var many = Enumerable.Range(0, 1200).Select(i => new DirectoryName("user", $"QO{i:D5}", $"用户{i}")).ToList();
        await store.ImportNamesAsync(many, "names.csv", Samples.Officer);
        var names = await store.NamesAsync([], many.Select(n => n.Id).Append("QO99999"), []);
        Assert.Equal(1200, names.Users.Count);
        Assert.Equal("用户1199", names.User("QO01199"));
    }
}
