using Xunit;

namespace Monitor.Series.Tests;

public sealed class SeriesCsvTests
{
    [Fact]
    public void Every_row_comes_back_in_order_with_its_own_columns_and_a_score()
    {
        var lines = new List<string> { "timestamp,value,label" };
        lines.AddRange(Series.Daily(500).Select((p, i) => $"{p.Time:yyyy-MM-dd HH:mm:ss},{p.Value:F3},{i % 2}"));
        lines.Insert(200, "2014-04-01 16:35:00,n/a,0");
        var output = new StringWriter();
        var rows = SeriesCsv.Score(new StringReader(string.Join("\n", lines)), output);

        var back = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(501, rows);
        Assert.Equal("timestamp,value,label,anomaly_score", back[0]);
        Assert.All(back.Skip(1).Zip(lines.Skip(1)), x => Assert.StartsWith(x.Second + ",", x.First));
        Assert.EndsWith(",n/a,0,0", back[200]);
        Assert.All(back.Skip(1), l => Assert.InRange(double.Parse(l[(l.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
    }

    [Fact]
    public void A_file_without_the_two_columns_is_refused_with_their_names()
    {
        var e = Assert.Throws<FormatException>(() => SeriesCsv.Score(new StringReader("time,val\n2014-04-01 00:00:00,1"), new StringWriter()));
        Assert.Contains("'timestamp' and 'value'", e.Message);
    }

    [Theory]
    [InlineData("2014-04-10 07:15:00", 2014, 4, 10, 7, 15)]
    [InlineData("2014-04-10T07:15:00", 2014, 4, 10, 7, 15)]
    [InlineData("2014-04-10T09:15:00+02:00", 2014, 4, 10, 7, 15)]
    [InlineData("1397114100", 2014, 4, 10, 7, 15)]
    public void Timestamps_in_the_usual_forms_are_read(string text, int y, int mo, int d, int h, int mi)
    {
        Assert.True(SeriesCsv.TryTime(text, out var t));
        Assert.Equal(new DateTime(y, mo, d, h, mi, 0), t);
    }
}
