using System.Text;
using Monitor.Contracts;
using Xunit;

namespace Monitor.Contracts.Tests;

/// <summary>
/// The names directory as <c>monitor import-names</c> reads it (docs/operations.md, "Importing the names"): Chinese
/// names in UTF-8 with or without a BOM, quoted fields, any column order; the first bad row refuses the file, naming its
/// line and field.
/// </summary>
public sealed class NameDirectoryReaderTests
{
    private static IReadOnlyList<DirectoryName> Read(string text) => NameDirectoryReader.Read(Encoding.UTF8.GetBytes(text));

    private static CsvFileException Refused(string text) => Assert.Throws<CsvFileException>(() => Read(text));

    [Fact]
    public void Branches_employees_and_account_holders_are_read_in_file_order_with_their_chinese_names()
    {
        var names = Read("\uFEFFkind,id,name\r\nbranch,SB0101,杭州城东支行\r\nemployee,E100006,张伟\r\nuser,QO010101,\"张伟\"\r\nbranch,HO0001,\"总行, 营业部\"\r\n\r\n");
        Assert.Equal(
            [new DirectoryName("branch", "SB0101", "杭州城东支行"), new("employee", "E100006", "张伟"), new("user", "QO010101", "张伟"), new("branch", "HO0001", "总行, 营业部")],
            names);
        Assert.Equal([new DirectoryName("user", "Q1", "李娜")], Read("name,kind,id\n  李娜 ,user,Q1\n")); // any column order; spaces around a name dropped
    }

    [Theory]
    [InlineData("kind,id,name\nbranch,SB0101,城东支行\nteller,E1,王芳\n", "line 3, field kind: unknown value: 'kind' is 'teller', expected one of branch|employee|user")]
    [InlineData("kind,id,name\nsubject,S1,王芳\n", "line 2, field kind: unknown value: 'kind' is 'subject'")]
    [InlineData("kind,id,name\nbranch,,城东支行\n", "line 2, field id: missing field: 'id' is required")]
    [InlineData("kind,id,name\nbranch,SB0101,  \n", "line 2, field name: missing field: 'name' is required")]
    [InlineData("kind,id,name\nbranch,SB0101,城东\u202E支行\n", "line 2, field name: invalid value: 'name' holds an invisible or control character (U+202E at position 2)")]
    [InlineData("kind,id,name\nuser,Q1,张伟\nemployee,Q1,张伟\nuser,Q1,张伟伟\n", "line 4, field id: duplicate name: user Q1 is already named on line 2")]
    [InlineData("kind,id,name\nbranch,SB0101\n", "line 2: expected 3 fields as in the header, found 2")]
    [InlineData("kind,id\nbranch,SB0101\n", "line 1, field name: the header has no column 'name'")]
    [InlineData("kind,id,name,phone\n", "line 1: unknown column 'phone' in the header")]
    [InlineData("", "line 1: a header row is required: kind,id,name")]
    [InlineData("kind,id,name\nbranch,SB0101,\"城东支行\n", "line 2: a quoted field is not closed")]
    public void A_bad_row_refuses_the_file_naming_its_line_and_field(string text, string message)
    {
        Assert.StartsWith(message, Refused(text).Message);
    }

    [Fact]
    public void A_name_longer_than_a_hundred_characters_and_a_file_that_is_not_utf8_are_refused()
    {
        Assert.Equal("line 2, field name: invalid value: 'name' is longer than 100 characters", Refused($"kind,id,name\nbranch,SB0101,{new string('行', 101)}\n").Message);
        byte[] gbk = [.. Encoding.ASCII.GetBytes("kind,id,name\nbranch,SB0101,"), 0xB3, 0xC7, 0xB6, 0xAB, (byte)'\n']; // 城东 in GBK
        var e = Assert.Throws<CsvFileException>(() => NameDirectoryReader.Read(gbk));
        Assert.Equal("line 2: the file is not UTF-8 text", e.Message);
    }
}
