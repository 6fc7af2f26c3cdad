using System.Text;
using Monitor.Contracts;
using Xunit;

namespace Monitor.Contracts.Tests;

/// <summary>The account directory's CSV (import-accounts): a good file, BOM and quoting, and each kind of bad row refused with its line and field.</summary>
public sealed class AccountDirectoryReaderTests
{
    private const string Header = "userId,employeeId,role,branchId,parentBranchId,status,createdAt,passwordChangedAt,lastQueryAt";
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private const string Good = "Q1,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2025-10-01T10:00:00+08:00,2025-08-01T11:00:00+08:00";

    private static IReadOnlyList<AccountSeed> Read(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return AccountDirectoryReader.Read(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes, Earliest, Latest);
    }

    private static AccountDirectoryException Refused(string text) => Assert.Throws<AccountDirectoryException>(() => Read(text));

    [Fact]
    public void Good_file_gives_every_account_with_its_fields()
    {
        var accounts = Read(Header + "\n" + Good + "\r\n"
            + "UA1,E1,user_admin,SB0101,,suspended,2019-06-01T00:00:00Z,2019-06-01T00:00:00Z,\n");
        Assert.Equal(2, accounts.Count);
        var q = accounts[0];
        Assert.Equal(("Q1", "E1", UserRole.QueryOperator, "SB0101", "BR0100", AccountDirectoryStatus.Active), (q.UserId, q.EmployeeId, q.Role, q.BranchId, q.ParentBranchId, q.Status));
        Assert.Equal(new DateTimeOffset(2025, 8, 1, 3, 0, 0, TimeSpan.Zero), q.LastQueryAt!.Value.ToUniversalTime());
        var a = accounts[1];
        Assert.Equal((UserRole.UserAdmin, AccountDirectoryStatus.Suspended, (string?)null, (DateTimeOffset?)null), (a.Role, a.Status, a.ParentBranchId, a.LastQueryAt));
    }

    [Fact]
    public void Columns_may_come_in_any_order()
    {
        var account = Assert.Single(Read("status,userId,employeeId,role,branchId,parentBranchId,createdAt,passwordChangedAt,lastQueryAt\n"
            + "disabled,Q1,E1,window_query,SB0101,BR0100,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,\n"));
        Assert.Equal((AccountDirectoryStatus.Disabled, UserRole.WindowQuery), (account.Status, account.Role));
    }

    [Fact]
    public void Byte_order_mark_is_accepted() => Assert.Equal("Q1", Assert.Single(Read(Header + "\n" + Good + "\n", bom: true)).UserId);

    [Fact]
    public void Quoted_fields_follow_rfc_4180()
    {
        var account = Assert.Single(Read(Header + "\n\"Q,1\",\"E\"\"1\",query_operator,\"SB0101\",,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,\"\"\n"));
        Assert.Equal(("Q,1", "E\"1", (string?)null), (account.UserId, account.EmployeeId, account.ParentBranchId));
    }

    [Fact]
    public void Header_only_is_an_empty_directory() => Assert.Empty(Read(Header + "\n\n"));

    [Theory]
    [InlineData("", 1, null, "header row is required")]
    [InlineData(Good + "\n", 1, null, "unknown column 'Q1'")]
    [InlineData("userId,employeeId,role,branchId,parentBranchId,status,createdAt,passwordChangedAt\n", 1, "lastQueryAt", "no column 'lastQueryAt'")]
    public void Bad_header_is_refused(string text, int line, string? field, string reason)
    {
        var e = Refused(text);
        Assert.Equal((line, field), (e.Line, e.Field));
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData(",E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "userId", "'userId' is required")]
    [InlineData("Q\u202E1,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "userId", "invisible or control character (U+202E")]
    [InlineData("Q1,,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "employeeId", "'employeeId' is required")]
    [InlineData("Q1,E1,Query_Operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "role", "expected one of query_operator|")]
    [InlineData("Q1,E1,query_operator,,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "branchId", "'branchId' is required")]
    [InlineData("Q2,E1,query_operator,SB0101,SB0101,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "parentBranchId", "its own parent")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,locked,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "status", "expected one of active|disabled|suspended")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,active,2020-01-05 09:00:00,2021-01-05T09:00:00+08:00,", "createdAt", "offset")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,active,1999-12-31T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "createdAt", "is before 2000-01-01")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,,", "passwordChangedAt", "'passwordChangedAt' is required")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2019-01-05T09:00:00+08:00,", "passwordChangedAt", "before 'createdAt'")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,2027-01-01T00:00:00Z", "lastQueryAt", "in the future")]
    [InlineData("Q1,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,2026-02-30T00:00:00Z", "lastQueryAt", "not an ISO-8601 time")]
    public void Bad_field_is_refused_with_its_line_and_field(string row, string field, string reason)
    {
        var e = Refused(Header + "\n" + Good + "\n" + row + "\n");
        Assert.Equal((3, field), (e.Line, e.Field));
        Assert.Contains(reason, e.Message);
        Assert.StartsWith($"line 3, field {field}: ", e.Message);
    }

    [Theory]
    [InlineData("Q2,E1,query_operator,SB0101,BR0100,active", "expected 9 fields")]
    [InlineData("Q2,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,,extra", "expected 9 fields")]
    [InlineData("Q\"2,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "quote inside an unquoted field")]
    [InlineData("\"Q2\"x,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "after the closing quote")]
    [InlineData("\"Q2,E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,", "not closed")]
    public void Malformed_row_is_refused_with_its_line(string row, string reason)
    {
        var e = Refused(Header + "\n" + Good + "\n" + row + "\n");
        Assert.Equal(3, e.Line);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Duplicate_account_names_both_lines()
    {
        var e = Refused(Header + "\n" + Good + "\n\n" + Good + "\n");
        Assert.Equal((3, (string?)null), (e.Line, e.Field)); // a blank line in the middle is a row of one field
        e = Refused(Header + "\n" + Good + "\n" + Good + "\n");
        Assert.Equal((3, "userId"), (e.Line, e.Field));
        Assert.Contains("already on line 2", e.Message);
    }

    [Fact]
    public void Branch_with_two_parents_is_refused()
    {
        var e = Refused(Header + "\n" + Good + "\n" + Good.Replace("Q1,", "Q2,").Replace("BR0100", "BR0200") + "\n");
        Assert.Equal((3, "parentBranchId"), (e.Line, e.Field));
        Assert.Contains("parent BR0100 on line 2", e.Message);
    }

    [Fact]
    public void Line_numbers_count_lines_inside_quoted_fields()
    {
        // A quoted newline is legal CSV (it is then refused as a control character in an id), so the next row starts a line later.
        var e = Refused(Header + "\n\"Q\n1\",E1,query_operator,SB0101,BR0100,active,2020-01-05T09:00:00+08:00,2021-01-05T09:00:00+08:00,\n");
        Assert.Equal((2, "userId"), (e.Line, e.Field));
        e = Refused(Header + "\n" + Good + "\n\"x\ny\",E1\n");
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n" + Good + "\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        var e = Assert.Throws<AccountDirectoryException>(() => AccountDirectoryReader.Read(bytes, Earliest, Latest));
        Assert.Contains("not UTF-8", e.Message);
    }
}
