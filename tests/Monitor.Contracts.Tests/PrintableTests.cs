using Monitor.Contracts;
using Xunit;

namespace Monitor.Contracts.Tests;

public sealed class PrintableTests
{
    [Theory]
    [InlineData("Q1\nCOMMAND x", @"Q1\nCOMMAND x")]
    [InlineData("\u001B[31mred", @"\u001B[31mred")]
    [InlineData("a\u202Eb", @"a\u202Eb")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("北京分行 ok", "北京分行 ok")]
    [InlineData("emoji 😀", "emoji 😀")]
    public void Escape_makes_every_hidden_character_visible_and_leaves_the_rest(string text, string expected) =>
        Assert.Equal(expected, Printable.Escape(text));

    [Fact]
    public void Escaped_text_never_holds_a_line_break_or_escape_character()
    {
        var all = new string(Enumerable.Range(0, 0x3000).Select(i => (char)i).Where(c => !char.IsSurrogate(c)).ToArray());
        var escaped = Printable.Escape(all);
        Assert.Equal(-1, Printable.FirstHidden(escaped));
    }
}
