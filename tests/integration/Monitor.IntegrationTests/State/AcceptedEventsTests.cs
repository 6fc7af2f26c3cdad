using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// Issue 14 part 9, through the CLI: redelivered events and events the graph refuses are not counted in the
/// metrics' query volumes (before, a redelivery was counted twice).
/// </summary>
public sealed class AcceptedEventsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("accepted").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Redeliveries_and_late_events_are_not_counted_in_the_query_volumes()
    {
        var events = Path.Combine(_dir, "events.jsonl");
        var (code, err) = await Cli.Run("simulate", "--output", events, "--labels", Path.Combine(_dir, "labels.jsonl"), "--days", "2", "--seed", "4");
        Assert.True(code == 0, err);
        var lines = await File.ReadAllLinesAsync(events);
        var clean = await QueriesCounted(events, "clean");

        // The first 200 lines again (redeliveries: same eventIds), and one query dated three days before the stream.
        var late = JsonNode.Parse(lines[^1])!;
        late["eventId"] = "late-1";
        late["occurredAt"] = DateTimeOffset.Parse(late["occurredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        var noisy = Path.Combine(_dir, "noisy.jsonl");
        await File.WriteAllLinesAsync(noisy, lines.Concat(lines.Take(200)).Append(late.ToJsonString()));
        var dead = Path.Combine(_dir, "dead.jsonl");
        var counted = await QueriesCounted(noisy, "noisy", dead);

        Assert.True(clean > 1000, $"only {clean} queries counted");
        Assert.Equal(clean, counted);
        Assert.Contains("late-1", await File.ReadAllTextAsync(dead));
    }

    /// <summary>Replays a file with a metrics file and sums the per-minute query counts it wrote.</summary>
    private async Task<long> QueriesCounted(string input, string name, string? deadLetters = null)
    {
        var metrics = Path.Combine(_dir, name + ".lp");
        var args = new List<string> { "replay", "--input", input, "--output", Path.Combine(_dir, name + ".alerts.jsonl"), "--metrics-file", metrics };
        if (deadLetters is not null) args.AddRange(["--dead-letters", deadLetters]);
        var (code, err) = await Cli.Run([.. args]);
        Assert.True(code == 0, err);
        // A minute's point is rewritten with its running count as batches add to it: the last one per series and minute counts.
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(metrics))
        {
            if (!line.StartsWith("queries,", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ');
            var field = parts[1].Split(',').Single(f => f.StartsWith("count=", StringComparison.Ordinal));
            last[parts[0] + " " + parts[2]] = long.Parse(field["count=".Length..].TrimEnd('i'), CultureInfo.InvariantCulture);
        }
        return last.Values.Sum();
    }
}
