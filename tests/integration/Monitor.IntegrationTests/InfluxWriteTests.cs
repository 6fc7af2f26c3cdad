using System.Text.Json;
using Monitor.Metrics;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>The line-protocol writer against a real InfluxDB 1.6: what is written is read back exactly.</summary>
public sealed class InfluxWriteTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    [Fact]
    public async Task Points_are_read_back_exactly_with_types_times_and_escaped_text()
    {
        const string db = "readback";
        await influx.CreateDatabaseAsync(db);
        var t1 = DateTimeOffset.FromUnixTimeMilliseconds(1_772_510_560_123);
        var t2 = t1.AddMinutes(1);
        await using (var w = new Influx1Writer(new InfluxOptions { Url = influx.Url, Database = db, FlushInterval = TimeSpan.FromMilliseconds(50) }))
        {
            w.TryWrite(Point.Measure("alert test", t1).Tag("branch", "总行 营业部,一").Tag("rule", "ADMIN_QUERY").Tag("note", "a=b")
                .Field("score", 80L).Field("ratio", 0.125).Field("suspend", true)
                .Field("explanation", "管理员账户 UA0101 查询了征信报告, \"未授权\" C:\\path = ok"));
            w.TryWrite(Point.Measure("alert test", t2).Tag("branch", "SB0101").Tag("rule", "OFF_HOURS").Field("score", -3L).Field("ratio", 1e-9).Field("suspend", false).Field("explanation", ""));
            for (var i = 0; i < 200 && w.Counters.Written < 2; i++) await Task.Delay(25);
            Assert.Equal(2, w.Counters.Written);
        }

        var rows = Rows(await influx.QueryAsync(db, "SELECT * FROM \"alert test\" ORDER BY time"));
        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal(t1.ToUnixTimeMilliseconds(), first["time"].GetInt64());
        Assert.Equal("总行 营业部,一", first["branch"].GetString());
        Assert.Equal("a=b", first["note"].GetString());
        Assert.Equal(80, first["score"].GetInt64());
        Assert.Equal(0.125, first["ratio"].GetDouble());
        Assert.True(first["suspend"].GetBoolean());
        Assert.Equal("管理员账户 UA0101 查询了征信报告, \"未授权\" C:\\path = ok", first["explanation"].GetString());
        Assert.Equal(t2.ToUnixTimeMilliseconds(), rows[1]["time"].GetInt64());
        Assert.Equal(-3, rows[1]["score"].GetInt64());
        Assert.Equal(1e-9, rows[1]["ratio"].GetDouble());
        Assert.False(rows[1]["suspend"].GetBoolean());
        Assert.Equal("", rows[1]["explanation"].GetString());

        var types = Rows(await influx.QueryAsync(db, "SHOW FIELD KEYS FROM \"alert test\"")).ToDictionary(r => r["fieldKey"].GetString()!, r => r["fieldType"].GetString());
        Assert.Equal(new Dictionary<string, string?> { ["explanation"] = "string", ["ratio"] = "float", ["score"] = "integer", ["suspend"] = "boolean" }, types);
        var tags = Rows(await influx.QueryAsync(db, "SHOW TAG VALUES FROM \"alert test\" WITH KEY = \"branch\"")).Select(r => r["value"].GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["SB0101", "总行 营业部,一"], tags);
    }

    /// <summary>The rows of the first series of the first result, as column → value.</summary>
    internal static List<Dictionary<string, JsonElement>> Rows(JsonElement results)
    {
        var rows = new List<Dictionary<string, JsonElement>>();
        if (!results[0].TryGetProperty("series", out var series)) return rows;
        foreach (var s in series.EnumerateArray())
        {
            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            foreach (var v in s.GetProperty("values").EnumerateArray())
                rows.Add(columns.Select((c, i) => (c, v[i])).ToDictionary(x => x.c, x => x.Item2));
        }
        return rows;
    }
}
