using Xunit;

namespace Monitor.Metrics.Tests;

public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeMilliseconds(1772510560123);

    [Fact]
    public void Tags_are_sorted_and_each_value_type_has_its_syntax()
    {
        var line = LineProtocol.Format(Point.Measure("queries", T).Tag("purpose", "loan_approval").Tag("branch", "SB0101")
            .Field("count", 7L).Field("ratio", 0.25).Field("suspend", true).Field("note", "ok"));
        Assert.Equal("queries,branch=SB0101,purpose=loan_approval count=7i,ratio=0.25,suspend=true,note=\"ok\" 1772510560123", line);
    }

    [Fact]
    public void Special_characters_are_escaped_where_line_protocol_needs_it()
    {
        var line = LineProtocol.Format(Point.Measure("my measure,x", T).Tag("tag key", "a=b, c").Field("field=key", "say \"hi\" \\ 你好, 世界 = ok"));
        Assert.Equal("my\\ measure\\,x,tag\\ key=a\\=b\\,\\ c field\\=key=\"say \\\"hi\\\" \\\\ 你好, 世界 = ok\" 1772510560123", line);
    }

    [Fact]
    public void Empty_tags_are_left_out_and_newlines_cannot_break_a_line()
    {
        var line = LineProtocol.Format(Point.Measure("alert", T).Tag("user", "").Tag("branch", null).Tag("rule", "A\nB").Field("text", "one\ntwo"));
        Assert.Equal("alert,rule=A\\ B text=\"one two\" 1772510560123", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void A_point_without_fields_is_refused_and_non_finite_floats_are_left_out()
    {
        Assert.Throws<ArgumentException>(() => LineProtocol.Format(Point.Measure("m", T).Tag("a", "b")));
        Assert.Equal("m ok=1i 1772510560123", LineProtocol.Format(Point.Measure("m", T).Field("nan", double.NaN).Field("ok", 1L)));
    }
}
