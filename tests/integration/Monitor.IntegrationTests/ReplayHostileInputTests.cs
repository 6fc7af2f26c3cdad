using System.Diagnostics;
using System.Text;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Simulator;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor replay</c>, run as a user runs it, on a simulated bank's log with hand-made bad lines put in
/// (issue 13): every bad line is dead-lettered with its reason, the replay finishes, and the alerts and commands
/// on the good lines are the ones a clean file gives.
/// </summary>
public sealed class ReplayHostileInputTests
{
    private static readonly Lazy<List<string>> ThreeDays = new(() =>
        new BankSimulator(new SimulationOptions { Seed = 5, Days = 3 }).Events().Select(EventJson.Serialize).ToList());

    [Theory]
    [InlineData("9999-12-31T10:00:00.000Z")] // day arithmetic overflowed before the guard saw it; the replay hung for 300 s
    [InlineData("+10d")]                      // ten days ahead of a backlog: its partition's traffic all went "late"
    [InlineData("+40d")]                      // beyond any jump the stream could make
    public async Task One_bad_timestamp_is_dead_lettered_and_the_rest_of_the_file_is_judged_as_without_it(string when)
    {
        var lines = ThreeDays.Value;
        var at = 400;
        var neighbour = EventJson.TryParse(lines[at], out var e, out _) ? e! : throw new InvalidOperationException();
        var time = when switch
        {
            "+40d" => EventJson.FormatTime(neighbour.OccurredAt.AddDays(40)),
            "+10d" => EventJson.FormatTime(neighbour.OccurredAt.AddDays(10)),
            _ => when,
        };
        var bad = EventJson.Serialize(neighbour with { EventId = "bad-time", OccurredAt = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture) })
            .Replace(EventJson.FormatTime(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), time);
        var clean = await Replay(lines);
        var sw = Stopwatch.StartNew();
        var dirty = await Replay([.. lines[..at], bad, .. lines[at..]]);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"replay took {sw.Elapsed}");
        Assert.Equal(0, dirty.Code);
        var dead = Assert.Single(dirty.DeadLetters);
        Assert.StartsWith("implausible time:", dead.Reason);
        Assert.Equal(at + 1, dead.Position);
        Assert.Equal(clean.Alerts, dirty.Alerts);
        Assert.Equal(clean.Commands, dirty.Commands);
    }

    [Fact]
    public async Task A_first_line_hours_ahead_of_the_file_makes_none_of_the_lines_after_it_late()
    {
        var lines = ThreeDays.Value;
        var first = EventJson.TryParse(lines[0], out var e, out _) ? e! : throw new InvalidOperationException();
        // A query of an account of its own, dated four hours after the file begins: within the lead, so accepted.
        var early = EventJson.Serialize(first with
        {
            EventId = "early", UserId = "QX9999", BranchId = "SB9999", ParentBranchId = null, EmployeeId = null, Type = EventType.Query,
            Purpose = Purpose.SelfQuery, Outcome = null, Action = null, OccurredAt = first.OccurredAt.AddHours(4),
        });
        var clean = await Replay(lines);
        var dirty = await Replay([early, .. lines]);
        Assert.Empty(dirty.DeadLetters); // before: every line more than 2 h before it was "late"
        Assert.Equal(clean.Alerts, dirty.Alerts.Where(a => !a.Contains("9999", StringComparison.Ordinal)));
        Assert.Equal(clean.Commands, dirty.Commands);
    }

    [Fact]
    public async Task A_refused_line_dated_next_year_does_not_stop_the_behaviour_models_training()
    {
        // Six weeks with shifts only the behaviour models see; the models retrain at each event day of the replay.
        var lines = new BankSimulator(new SimulationOptions { Seed = 7, Days = 42, Incidents = IncidentKind.SubtleMix }).Events().Select(EventJson.Serialize).ToList();
        var first = EventJson.TryParse(lines[10], out var e, out _) ? e! : throw new InvalidOperationException();
        var nextYear = EventJson.Serialize(first with { EventId = "next-year", OccurredAt = new DateTimeOffset(2027, 1, 15, 10, 0, 0, TimeSpan.FromHours(8)) });
        var clean = await Replay(lines);
        var dirty = await Replay([.. lines[..10], nextYear, .. lines[10..]]);
        Assert.Contains(clean.Alerts, a => a.Contains(RuleIds.BehaviourOutlier, StringComparison.Ordinal));
        Assert.StartsWith("implausible time:", Assert.Single(dirty.DeadLetters).Reason);
        Assert.Equal(clean.Alerts.Count(a => a.Contains("no peer model yet", StringComparison.Ordinal)), dirty.Alerts.Count(a => a.Contains("no peer model yet", StringComparison.Ordinal)));
        // The same alerts at the same severity; a peer score may differ in its second decimal, as the refused line
        // shifts where the replay's batches, and so the training runs, fall.
        Assert.Equal(Keys(clean.Alerts), Keys(dirty.Alerts));
    }

    [Fact]
    public async Task Hostile_lines_are_each_dead_lettered_with_their_reason_and_change_no_alert()
    {
        var lines = ThreeDays.Value.Select(Encoding.UTF8.GetBytes).ToList();
        var mixed = new List<byte[]>(lines);
        var positions = new Dictionary<int, (string Name, string Reason)>();
        var i = 0;
        foreach (var (name, bytes, reason) in HostileLines.All)
        {
            var at = 300 + 500 * i;
            mixed.Insert(at, HostileLines.WithId(bytes, $"hostile-{i++}"));
            positions[at + 1] = (name, reason);
        }
        var clean = await Replay(lines);
        var dirty = await Replay(mixed);
        Assert.Equal(0, dirty.Code);
        Assert.Equal(positions.Keys.Order(), dirty.DeadLetters.Select(d => (int)d.Position));
        Assert.All(dirty.DeadLetters, d => Assert.StartsWith(positions[(int)d.Position].Reason, d.Reason));
        Assert.Equal(clean.Alerts, dirty.Alerts);
        Assert.Equal(clean.Commands, dirty.Commands);
        Assert.DoesNotContain(dirty.Commands, c => c.Contains("QO999999", StringComparison.Ordinal));
    }

    private static List<string> Keys(IEnumerable<string> alerts) =>
        [.. alerts.Select(OutputJson.ParseAlert).Select(a => $"{a.AlertId} {a.Rule} {a.EntityId} {a.Day} {a.Severity} {a.Count}")];

    /// <summary>Runs <c>replay</c> on the lines; the final revision of each alert and the commands, as text, and the dead letters.</summary>
    internal static Task<ReplayOutcome> Replay(IReadOnlyList<string> lines) => Replay(lines.Select(Encoding.UTF8.GetBytes).ToList());

    internal static async Task<ReplayOutcome> Replay(IReadOnlyList<byte[]> lines, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("monitor-hostile-");
        var input = Path.Combine(dir.FullName, "events.jsonl");
        await using (var f = File.Create(input))
            foreach (var l in lines)
            {
                await f.WriteAsync(l);
                f.WriteByte((byte)'\n');
            }
        var (alerts, commands, dead) = (Path.Combine(dir.FullName, "alerts.jsonl"), Path.Combine(dir.FullName, "commands.jsonl"), Path.Combine(dir.FullName, "dlq.jsonl"));
        var (code, stderr) = await Cli.Run(["replay", "--input", input, "--output", alerts, "--commands", commands, "--dead-letters", dead, .. extra]);
        Assert.True(code == 0, stderr);
        var outcome = new ReplayOutcome(code,
            File.ReadAllLines(alerts).Select(OutputJson.ParseAlert).GroupBy(a => a.AlertId).Select(g => OutputJson.Serialize(g.MaxBy(a => a.Revision)!)).Order(StringComparer.Ordinal).ToList(),
            File.ReadAllLines(commands).Select(OutputJson.ParseCommand).Select(c => $"{c.CommandId} {c.Action} {c.UserId} {c.BranchId}").Order(StringComparer.Ordinal).ToList(),
            File.ReadAllLines(dead).Select(OutputJson.ParseDeadLetter).ToList(),
            stderr, dir.FullName);
        return outcome;
    }
}

internal sealed record ReplayOutcome(int Code, List<string> Alerts, List<string> Commands, List<DeadLetter> DeadLetters, string Stderr, string Dir);
