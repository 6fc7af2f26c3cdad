using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Contracts;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor backtest --flight</c> after a flight on the mock Kafka (<see cref="FlownBank"/>): per rule, live's and
/// the flight's distinct alerts are those their topics hold, gained and lost are the set differences, precision and
/// recall follow the verdicts officers gave through the API, and the suspensions that change are live's commands
/// against those the flight withheld; from Kafka or from files consumed from the topics, over all or some days.
/// </summary>
[Collection(FlownBank.Name)]
public sealed class FlightBacktestTests(FlownBank bank)
{
    private Task<(int Code, string Stdout, string Stderr)> FromKafka(params string[] more) =>
        Cli.Output(["backtest", "--flight", FlownBank.Flight, "--kafka", bank.Servers, "--alerts-topic", FlownBank.AlertsTopic,
            "--commands-topic", FlownBank.CommandsTopic, "--candidate-topic", FlownBank.CandidateTopic, "--store", bank.Store, .. more]);

    private async Task<(int Code, string Stdout, string Stderr)> FromFiles(params string[] more)
    {
        await File.WriteAllLinesAsync(bank.In("live-alerts.jsonl"), bank.LiveLines);
        await File.WriteAllLinesAsync(bank.In("live-commands.jsonl"), bank.CommandLines);
        await File.WriteAllLinesAsync(bank.In("flight-alerts.jsonl"), bank.FlownLines);
        return await Cli.Output(["backtest", "--flight", FlownBank.Flight, "--live-alerts", bank.In("live-alerts.jsonl"), "--live-commands", bank.In("live-commands.jsonl"),
            "--flight-alerts", bank.In("flight-alerts.jsonl"), "--store", bank.Store, .. more]);
    }

    [Fact]
    public async Task Backtest_of_a_flight_counts_what_live_and_the_flight_published_on_kafka_and_scores_the_officers_verdicts()
    {
        var (code, stdout, stderr) = await FromKafka("--output", bank.In("flight.json"), "--chart", bank.In("flight.png"));
        Assert.True(code == 0, stderr + "\n" + bank.Transcript);
        Assert.All(stdout.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Assert.StartsWith($"flight {FlownBank.Flight} against live, ", stdout);
        Assert.Contains("suspensions: live ", stdout);

        var live = FlownBank.Final(bank.Live);
        var flown = FlownBank.Final(bank.Flown);
        Assert.All(live.Values, a => Assert.Null(a.Flight));
        Assert.All(flown.Values, a => Assert.Equal(FlownBank.Flight, a.Flight));
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(bank.In("flight.json")));
        var root = doc.RootElement;
        Assert.Equal(FlownBank.Flight, root.GetProperty("flight").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("events").ValueKind);
        var rules = root.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!);
        var ruleOf = live.Values.Concat(flown.Values).GroupBy(a => a.AlertId).ToDictionary(g => g.Key, g => g.First().Rule);
        Assert.Equal(live.Values.Concat(flown.Values).Select(a => a.Rule).Distinct().Order(), rules.Keys.Order());
        foreach (var (rule, r) in rules)
        {
            var inLive = live.Values.Where(a => a.Rule == rule).Select(a => a.AlertId).ToHashSet();
            var inFlight = flown.Values.Where(a => a.Rule == rule).Select(a => a.AlertId).ToHashSet();
            Assert.True(inLive.Count == r.GetProperty("baseline").GetInt32(), $"{rule} live");
            Assert.True(inFlight.Count == r.GetProperty("candidate").GetInt32(), $"{rule} flight");
            Assert.Equal(inFlight.Except(inLive).Order(), Ids(r, "gained").Order());
            Assert.Equal(inLive.Except(inFlight).Order(), Ids(r, "lost").Order());
            foreach (var gained in r.GetProperty("gained").EnumerateArray())
                Assert.Equal(flown[gained.GetProperty("alertId").GetString()!].Explanation, gained.GetProperty("explanation").GetString());

            // The verdicts officers gave on live's alerts, scoring both sides.
            var confirmed = bank.Verdicts.Where(v => v.Value && ruleOf[v.Key] == rule).Select(v => v.Key).ToHashSet();
            var dismissed = bank.Verdicts.Where(v => !v.Value && ruleOf[v.Key] == rule).Select(v => v.Key).ToHashSet();
            foreach (var (side, raised) in new[] { ("baseline", inLive), ("candidate", inFlight) })
            {
                var p = r.GetProperty("precision").GetProperty(side);
                Assert.True(raised.Count(confirmed.Contains) == p.GetProperty("confirmed").GetInt32(), $"{rule} {side} confirmed");
                Assert.True(raised.Count(dismissed.Contains) == p.GetProperty("dismissed").GetInt32(), $"{rule} {side} dismissed");
                Assert.Equal(confirmed.Count, r.GetProperty("recall").GetProperty(side).GetProperty("known").GetInt32());
                Assert.Equal(raised.Count(confirmed.Contains), r.GetProperty("recall").GetProperty(side).GetProperty("confirmed").GetInt32());
            }
        }
        // The lower threshold gains volume alerts, the night exemption loses night alerts officers had confirmed.
        Assert.NotEmpty(Ids(rules[RuleIds.VolumeSpike], "gained"));
        Assert.NotEmpty(Ids(rules[RuleIds.OffHours], "lost"));
        Assert.True(rules[RuleIds.OffHours].GetProperty("recall").GetProperty("candidate").GetProperty("value").GetDouble()
            < rules[RuleIds.OffHours].GetProperty("recall").GetProperty("baseline").GetProperty("value").GetDouble());

        // Suspensions: those live ordered on its commands topic against those the flight withheld.
        var s = root.GetProperty("suspensions");
        var liveUsers = bank.LiveCommands.Where(c => c.Action == "suspend").Select(c => c.UserId).ToHashSet();
        var withheld = bank.Flown.Select(a => a.WithheldCommand).OfType<PermissionCommand>().DistinctBy(c => c.CommandId).ToList();
        Assert.Equal(bank.LiveCommands.Count(c => c.Action == "suspend"), s.GetProperty("baseline").GetInt32());
        Assert.Equal(withheld.Count, s.GetProperty("candidate").GetInt32());
        Assert.Equal(withheld.Select(c => c.UserId).Except(liveUsers).Order(), Users(s, "gained").Order());
        Assert.Equal(liveUsers.Except(withheld.Select(c => c.UserId)).Order(), Users(s, "lost").Order());
        Assert.NotEmpty(Users(s, "gained")); // suspension by score

        var png = await File.ReadAllBytesAsync(bank.In("flight.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 20_000, $"{png.Length} bytes");
    }

    [Fact]
    public async Task Files_consumed_from_the_topics_give_the_report_kafka_gives_and_from_and_to_keep_their_days_only()
    {
        var kafka = await FromKafka("--output", bank.In("k.json"));
        Assert.True(kafka.Code == 0, kafka.Stderr);
        var files = await FromFiles("--output", bank.In("f.json"));
        Assert.True(files.Code == 0, files.Stderr);
        Assert.Equal(Comparable(bank.In("k.json")), Comparable(bank.In("f.json")));

        // One day: only the alerts of that day, on both sides.
        var days = FlownBank.Final(bank.Flown).Values.Select(a => a.Day).Distinct().Order(StringComparer.Ordinal).ToList();
        var day = days[days.Count / 2];
        var one = await FromFiles("--from", day, "--to", day, "--output", bank.In("day.json"));
        Assert.True(one.Code == 0, one.Stderr);
        Assert.Contains($", {day} to {day}", one.Stdout);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(bank.In("day.json")));
        var totals = doc.RootElement.GetProperty("totals");
        Assert.Equal(FlownBank.Final(bank.Live).Values.Count(a => a.Day == day), totals.GetProperty("baseline").GetInt32());
        Assert.Equal(FlownBank.Final(bank.Flown).Values.Count(a => a.Day == day), totals.GetProperty("candidate").GetInt32());
        Assert.All(doc.RootElement.GetProperty("rules").EnumerateArray(), r => Assert.Equal([day], r.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("day").GetString())));
    }

    [Fact]
    public async Task A_flight_with_no_alert_there_is_refused_in_one_line_naming_the_flights_there()
    {
        var (code, stderr) = await Cli.Run("backtest", "--flight", "lower-volum", "--kafka", bank.Servers, "--alerts-topic", FlownBank.AlertsTopic,
            "--commands-topic", FlownBank.CommandsTopic, "--candidate-topic", FlownBank.CandidateTopic);
        CliMistakeTests.AssertOneLine((code, stderr), "--flight", "no alert of flight lower-volum", $"flights there: {FlownBank.Flight}");
        (code, stderr) = await Cli.Run("backtest", "--flight", FlownBank.Flight, "--kafka", bank.Servers, "--candidate-topic", "flown.nothing-here",
            "--alerts-topic", FlownBank.AlertsTopic, "--commands-topic", FlownBank.CommandsTopic);
        CliMistakeTests.AssertOneLine((code, stderr), "--candidate-topic", "no topic flown.nothing-here");
    }

    private static IEnumerable<string> Ids(JsonElement rule, string list) => rule.GetProperty(list).EnumerateArray().Select(a => a.GetProperty("alertId").GetString()!);

    private static IEnumerable<string> Users(JsonElement suspensions, string list) => suspensions.GetProperty(list).EnumerateArray().Select(a => a.GetProperty("userId").GetString()!);

    /// <summary>A report without the two lines that name where the sides were read.</summary>
    private static string Comparable(string file)
    {
        var report = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        report.Remove("baselineSettings");
        report.Remove("candidateSettings");
        return report.ToJsonString();
    }
}
