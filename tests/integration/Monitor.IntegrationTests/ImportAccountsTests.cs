using Monitor.Actors.State;
using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor import-accounts</c> as the bank runs it at first start: the account directory seeds the detector
/// state beside <c>--store</c>, so a week of traffic replayed into that store raises PASSWORD_AGE and
/// DORMANT_ACCOUNT on the first day for exactly the accounts the directory says are overdue; a bad file exits 2,
/// naming its line and field, and imports nothing.
/// </summary>
public sealed class ImportAccountsTests
{
    private const string Header = "userId,employeeId,role,branchId,parentBranchId,status,createdAt,passwordChangedAt,lastQueryAt";

    // QOLD: password changed nine months before the week; QIDLE: no query for five months; QOK: neither.
    private const string Directory =
        Header + "\n"
        + "QOLD,EQOLD,query_operator,SB0101,BR0100,active,2021-04-01T09:00:00+08:00,2025-06-01T09:00:00+08:00,2026-02-27T15:00:00+08:00\n"
        + "QIDLE,EQIDLE,query_operator,SB0101,BR0100,active,2021-04-01T09:00:00+08:00,2026-02-01T09:00:00+08:00,2025-10-01T15:00:00+08:00\n"
        + "QOK,EQOK,window_query,SB0102,BR0100,active,2021-04-01T09:00:00+08:00,2026-02-15T09:00:00+08:00,2026-02-27T15:00:00+08:00\n"
        + "QGONE,EQGONE,query_operator,SB0102,BR0100,disabled,2019-04-01T09:00:00+08:00,2019-04-01T09:00:00+08:00,\n";

    private static string Week(DirectoryInfo dir)
    {
        var path = Path.Combine(dir.FullName, "week.jsonl");
        var lines = new List<string>();
        for (var day = 0; day < 7; day++)
            foreach (var user in new[] { "QOLD", "QIDLE", "QOK", "QNEW" })
                lines.Add(EventJson.Serialize(Ev.Query(user, Ev.At(2026, 3, 2, 10).AddDays(day), id: $"wk-{day}-{user}")));
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Imported_directory_makes_password_age_and_dormant_accounts_fire_on_the_first_day()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("monitor-import-");
        var store = Path.Combine(dir.FullName, "monitor.db");
        var csv = Path.Combine(dir.FullName, "accounts.csv");
        await File.WriteAllTextAsync(csv, Directory);

        var (code, stderr) = await Cli.Run("import-accounts", csv, "--store", store);
        Assert.True(code == 0, stderr);
        Assert.Contains("imported 4 accounts (3 active, 1 disabled, 0 suspended)", stderr);
        Assert.Contains(StateOptions.StatePath(store), stderr);

        // Importing again changes nothing that matters to the rules; a bad file afterwards leaves the state as it was.
        Assert.Equal(0, (await Cli.Run("import-accounts", csv, "--store", store)).Code);
        var before = await File.ReadAllBytesAsync(StateOptions.StatePath(store));
        var bad = Path.Combine(dir.FullName, "bad.csv");
        await File.WriteAllTextAsync(bad, Directory + "QBAD,EQBAD,query_operator,SB0101,BR0100,gone,2021-04-01T09:00:00+08:00,2026-02-01T09:00:00+08:00,\n");
        var refused = await Cli.Run("import-accounts", bad, "--store", store);
        Assert.Equal(2, refused.Code);
        Assert.Contains("line 6, field status", refused.Stderr);
        Assert.Equal(before, await File.ReadAllBytesAsync(StateOptions.StatePath(store)));

        var alertsFile = Path.Combine(dir.FullName, "alerts.jsonl");
        (code, stderr) = await Cli.Run("replay", "--input", Week(dir), "--output", alertsFile, "--store", store);
        Assert.True(code == 0, stderr);
        var alerts = File.ReadAllLines(alertsFile).Select(OutputJson.ParseAlert).GroupBy(a => a.AlertId).Select(g => g.MaxBy(a => a.Revision)!).ToList();
        Assert.Equal(["DORMANT_ACCOUNT QIDLE 2026-03-02", "PASSWORD_AGE QOLD 2026-03-02"],
            alerts.Where(a => a.Rule is "PASSWORD_AGE" or "DORMANT_ACCOUNT").Select(a => $"{a.Rule} {a.EntityId} {a.Day}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_the_import_the_same_week_raises_neither()
    {
        // The control for the test above: the alerts come from the directory, not from the traffic.
        var dir = System.IO.Directory.CreateTempSubdirectory("monitor-import-");
        var alertsFile = Path.Combine(dir.FullName, "alerts.jsonl");
        var (code, stderr) = await Cli.Run("replay", "--input", Week(dir), "--output", alertsFile);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain(File.ReadAllLines(alertsFile).Select(OutputJson.ParseAlert), a => a.Rule is "PASSWORD_AGE" or "DORMANT_ACCOUNT");
    }

    [Fact]
    public async Task Bad_file_exits_2_naming_line_and_field_and_creates_no_state()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("monitor-import-");
        var store = Path.Combine(dir.FullName, "monitor.db");
        var bad = Path.Combine(dir.FullName, "bad.csv");
        await File.WriteAllTextAsync(bad, Directory + "QBAD,EQBAD,super_user,SB0101,BR0100,active,2021-04-01T09:00:00+08:00,2026-02-01T09:00:00+08:00,\n");
        var (code, stderr) = await Cli.Run("import-accounts", bad, "--store", store);
        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bad.csv line 6, field role: unknown value: 'role' is 'super_user'", line);
        Assert.Contains("nothing imported", line);
        Assert.False(File.Exists(StateOptions.StatePath(store)));
    }

    [Fact]
    public async Task Missing_file_is_one_line_and_exit_2()
    {
        var (code, stderr) = await Cli.Run("import-accounts", "/nonexistent/accounts.csv", "--store", Path.Combine(Path.GetTempPath(), "never.db"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", stderr);
    }
}
