using System.Globalization;
using System.Text.Json;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests.State;

/// <summary>
/// Issue 14's split replay, through the CLI as an operator runs it: 70 labelled days with the long-memory
/// incidents, cut at three points (one in the middle of a working day) and replayed in four processes into one
/// store, give what one replay of the whole gives: the same alert ids and rules with the same final revision and
/// count, every command exactly once. On SQLite and on a real PostgreSQL.
/// </summary>
public sealed class SplitReplayTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Incidents = "dormant_account=1,password_age=1,disabled_account_query=1,role_conflict=1,volume_spike=2,branch_volume_spike=1,post_loan_abuse=1,repeat_ratio=1,admin_query=1,shared_account=1";
    private readonly string _dir = Directory.CreateTempSubdirectory("split-replay").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Four_replays_into_one_SQLite_store_equal_one_replay_of_the_whole() =>
        await SplitEqualsWhole(Path.Combine(_dir, "whole.db"), Path.Combine(_dir, "split.db"));

    [Fact]
    public async Task Four_replays_into_one_PostgreSQL_store_equal_one_replay_of_the_whole() =>
        await SplitEqualsWhole(await postgres.NewDatabaseAsync(), await postgres.NewDatabaseAsync());

    private async Task SplitEqualsWhole(string wholeStore, string splitStore)
    {
        var events = Path.Combine(_dir, "events.jsonl");
        var (code, err) = await Cli.Run("simulate", "--output", events, "--labels", Path.Combine(_dir, "labels.jsonl"), "--days", "70", "--seed", "11", "--incidents", Incidents);
        Assert.True(code == 0, err);
        var lines = await File.ReadAllLinesAsync(events);

        var whole = await Replay(events, wholeStore, "whole");
        Assert.Contains(whole.Alerts.Values, a => a.Rule == "PASSWORD_AGE");
        Assert.Contains(whole.Alerts.Values, a => a.Rule == "DORMANT_ACCOUNT");

        var cuts = new[] { lines.Length / 4, MiddayLine(lines, lines.Length / 2), lines.Length * 4 / 5 };
        Assert.True(cuts[0] < cuts[1] && cuts[1] < cuts[2], string.Join(",", cuts));
        var parts = new List<RunOutcome>();
        var bounds = new[] { 0 }.Concat(cuts).Append(lines.Length).ToArray();
        var alertFiles = new List<string>();
        var commandFiles = new List<string>();
        for (var i = 0; i + 1 < bounds.Length; i++)
        {
            var part = Path.Combine(_dir, $"part{i}.jsonl");
            await File.WriteAllLinesAsync(part, lines[bounds[i]..bounds[i + 1]]);
            var (alerts, commands, stderr) = await ReplayFiles(part, splitStore, $"part{i}");
            if (i > 0) Assert.Contains("detector state restored from checkpoint", stderr);
            alertFiles.Add(alerts);
            commandFiles.Add(commands);
        }
        var split = RunOutcome.FromFiles(alertFiles, commandFiles);
        var differences = split.Differences(whole);
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join("\n", differences.Take(30)));
    }

    private async Task<RunOutcome> Replay(string input, string store, string name)
    {
        var (alerts, commands, _) = await ReplayFiles(input, store, name);
        return RunOutcome.FromFiles([alerts], [commands]);
    }

    private async Task<(string Alerts, string Commands, string Stderr)> ReplayFiles(string input, string store, string name)
    {
        var alerts = Path.Combine(_dir, name + ".alerts.jsonl");
        var commands = Path.Combine(_dir, name + ".commands.jsonl");
        var (code, stderr) = await Cli.Run("replay", "--input", input, "--output", alerts, "--commands", commands, "--store", store);
        Assert.True(code == 0, stderr);
        return (alerts, commands, stderr);
    }

    /// <summary>The first line at or after <paramref name="from"/> whose event is on a weekday between 11:00 and 15:00 local time.</summary>
    private static int MiddayLine(string[] lines, int from)
    {
        for (var i = from; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var at = DateTimeOffset.Parse(doc.RootElement.GetProperty("occurredAt").GetString()!, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8));
            if (at.Hour is >= 11 and < 15 && at.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday) return i;
        }
        throw new InvalidOperationException("no working-day midday event after the middle of the file");
    }
}
