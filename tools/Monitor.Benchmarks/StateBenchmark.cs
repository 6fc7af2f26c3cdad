using System.Diagnostics;
using Monitor.Actors;
using Monitor.Actors.State;
using Monitor.Contracts;
using Monitor.Detectors;
using Monitor.Ingest;
using Monitor.Messages;
using Monitor.Simulator;

/// <summary>
/// The price of durable detector state (issue 14): replay of a 70-day history with state kept in SQLite against
/// replay in memory (target: at least 0.8 of the speed), the time to bring back 10,000 users' state after a kill, and the memory
/// per tracked user while active and once idle entities have left memory (target: at most 4 KB).
/// </summary>
internal static class StateBenchmark
{
    /// <param name="lines">The workload's events, as JSON lines (memory per user).</param>
    /// <param name="users">The workload's accounts, for the memory per user.</param>
    /// <param name="history">The history the replay figures replay (see <see cref="ReplayFiguresAsync"/>).</param>
    /// <param name="replayOnly">Only the replay figures (durable against in memory), not memory and recovery.</param>
    public static async Task RunAsync(IReadOnlyList<string> lines, int users, IReadOnlyList<string> history, bool replayOnly = false)
    {
        var dir = Directory.CreateTempSubdirectory("state-bench").FullName;
        try
        {
            await ReplayFiguresAsync(history, dir);
            if (replayOnly) return;
            await MemoryAsync(lines, users, Path.Combine(dir, "memory.db"));
            await IdleUsersAsync(10_000, Path.Combine(dir, "idle.db"));
            await RecoveryAsync(10_000, Path.Combine(dir, "recovery.db"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const int Pairs = 6;

    /// <summary>
    /// Replays <paramref name="history"/> as <c>monitor replay</c> does, with the state in memory only and with it kept
    /// in SQLite (checkpoints at the settings' interval and at the end), in pairs one after the other. The first pair
    /// warms the JIT; the figure is the median over the other pairs of each pair's ratio, so a pair shares the
    /// machine's state of the moment (single runs of the same setup vary by a quarter here).
    /// </summary>
    private static async Task ReplayFiguresAsync(IReadOnlyList<string> history, string dir)
    {
        var ratios = new List<double>();
        var memory = new List<double>();
        var durable = new List<double>();
        var checkpoints = 0L;
        for (var pair = 0; pair <= Pairs; pair++)
        {
            var off = await ReplayAsync(history, null);
            var on = await ReplayAsync(history, Path.Combine(dir, $"r{pair}.db"));
            Console.WriteLine($"  pair {pair}{(pair == 0 ? " (warm-up)" : "")}: in memory {off.Rate:N0}, durable {on.Rate:N0} events/s ({on.Rate / off.Rate:F2}; {on.Checkpoints} checkpoints, the last {on.Last?.EntitiesSaved} entities and a {on.Last?.RecordBytes:N0} B record, holding the batches {on.Last?.Pause?.Total.TotalMilliseconds:F0} ms, the coordinator's state {on.Last?.Pause?.Coordinator.TotalMilliseconds:F0} ms of it)");
            if (pair == 0) continue;
            memory.Add(off.Rate);
            durable.Add(on.Rate);
            ratios.Add(on.Rate / off.Rate);
            checkpoints = on.Checkpoints;
        }
        var ratio = Median(ratios);
        Console.WriteLine($"replay, state in memory only:      {Median(memory),10:N0} events/s (median of {Pairs} runs; baseline)");
        Console.WriteLine($"replay, state kept in SQLite:      {Median(durable),10:N0} events/s (median of {Pairs} runs; {checkpoints} checkpoints per replay)");
        Console.WriteLine($"durable against in memory:         {ratio,10:F2} (median of the pairs' ratios {string.Join(", ", ratios.Order().Select(r => r.ToString("F2")))}; target >= 0.80: {(ratio >= 0.8 ? "met" : "NOT met")})");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private sealed record Replayed(double Rate, long Checkpoints, CheckpointReport? Last);

    private static async Task<Replayed> ReplayAsync(IReadOnlyList<string> lines, string? store)
    {
        Heap(); // the run before left its graph behind: each run starts on a collected heap, not paying for the last
        var sw = Stopwatch.StartNew();
        await using var host = await BenchHost.StartAsync(TrainingMode.Background, store);
        await host.Replay(null, null, "bench").RunAsync(new LinesReader(lines), TextWriter.Null, TextWriter.Null, TextWriter.Null);
        return new(lines.Count / sw.Elapsed.TotalSeconds, host.Graph.Checkpoint, host.Graph.LastCheckpoint);
    }

    /// <summary>
    /// Managed heap per tracked user with every entity live, then once idle entities have left memory; both above
    /// the started, empty graph (the actor system and the store's client are there whatever the number of users).
    /// What stays after every entity left is the stream's state (the coordinator's subject origins of the last 45
    /// days and redelivery horizon of the last 48 hours): it follows subjects and events, not users.
    /// </summary>
    private static async Task MemoryAsync(IReadOnlyList<string> lines, int users, string store)
    {
        await using var host = await BenchHost.StartAsync(TrainingMode.Off, store, idleAfter: TimeSpan.FromSeconds(2));
        var graph = host.Graph;
        await graph.ProcessAsync([]); // the graph's actors are up
        var before = Heap();
        await new ReplayRunner(graph).RunAsync(new LinesReader(lines), TextWriter.Null, TextWriter.Null, TextWriter.Null);
        var active = (Heap() - before) / users;
        await graph.CheckpointAsync(new Dictionary<int, long>());
        var live = await AllIdleAsync(graph);
        var stream = Heap() - before;
        Console.WriteLine($"memory per tracked user, active:   {active,10:N0} bytes (every entity in memory)");
        Console.WriteLine($"after every entity left memory:    {stream / 1024.0 / 1024,10:F1} MB ({live} entities still in memory): the stream's state, {stream / users:N0} bytes per user of this workload; on disk the commit record is {graph.LastCheckpoint?.RecordBytes:N0} B");
    }

    /// <summary>Managed heap per user for 10,000 users with ten events each, once they are idle and have left memory: what a known, idle user costs.</summary>
    private static async Task IdleUsersAsync(int users, string store)
    {
        await using var host = await BenchHost.StartAsync(TrainingMode.Off, store, idleAfter: TimeSpan.FromSeconds(2));
        var graph = host.Graph;
        await graph.ProcessAsync([]);
        var before = Heap();
        for (var minute = 0; minute < 30; minute += 3) await graph.ProcessAsync([.. Enumerable.Range(0, users).Select(u => Query(u, minute))]);
        await graph.CheckpointAsync(new Dictionary<int, long>());
        var live = await AllIdleAsync(graph);
        var idle = (Heap() - before) / users;
        Console.WriteLine($"memory per tracked user, idle:     {idle,10:N0} bytes ({users:N0} users, {live} entities still in memory; target <= 4,096: {(idle <= 4096 ? "met" : "NOT met")})");
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(true);
    }

    /// <summary>Waits (at most a minute) until idle entities have left memory; the number still in it.</summary>
    private static async Task<int> AllIdleAsync(DetectionGraph graph)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await graph.RegionStatsAsync()).Sum(r => r.Live) > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        return (await graph.RegionStatsAsync()).Sum(r => r.Live);
    }

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>User <paramref name="u"/>'s authorised loan-approval query at minute <paramref name="minute"/> of a Monday morning.</summary>
    private static IngestedEvent Query(int u, int minute) => new(new QueryLogEvent
    {
        EventId = $"b{u}-{minute}", Type = EventType.Query, OccurredAt = Start.AddMinutes(minute).AddSeconds(u % 60), UserId = $"U{u:D5}", EmployeeId = $"E{u:D5}",
        UserRole = UserRole.QueryOperator, BranchId = $"SB{u / 20:D4}", ParentBranchId = $"BR{u / 400:D2}00", TerminalId = $"T{u:D5}", Channel = Channel.Counter,
        SubjectId = $"S{u}-{minute}", SubjectType = SubjectType.Individual, Purpose = Purpose.LoanApproval, Outcome = Outcome.Success,
        AuthorizationId = $"A{u}-{minute}", AuthorizedAt = Start.AddMinutes(minute - 5),
    }, 0);

    /// <summary>
    /// 10,000 users' state saved at a checkpoint, then a new graph on the same store (as after a kill -9: only what
    /// was committed counts) processes one event per user, each entity loading its snapshot first; the same batch on
    /// an empty graph is the baseline.
    /// </summary>
    private static async Task RecoveryAsync(int users, string store)
    {
        await using (var host = await BenchHost.StartAsync(TrainingMode.Off, store))
        {
            var first = host.Graph;
            for (var minute = 0; minute < 30; minute += 3) await first.ProcessAsync([.. Enumerable.Range(0, users).Select(u => Query(u, minute))]);
            await first.CheckpointAsync(new Dictionary<int, long>());
        }
        var batch = Enumerable.Range(0, users).Select(u => Query(u, 40)).ToList();
        var sw = Stopwatch.StartNew();
        await using (var restarted = await BenchHost.StartAsync(TrainingMode.Off, store))
            await restarted.Graph.ProcessAsync(batch);
        var recovered = sw.Elapsed;
        sw.Restart();
        await using (var empty = await BenchHost.StartAsync(TrainingMode.Off))
            await empty.Graph.ProcessAsync(batch);
        var baseline = sw.Elapsed;
        Console.WriteLine($"recover 10,000 users after a kill:  {recovered.TotalSeconds,10:F2} s (start, load every user's snapshot, judge one event each; the same batch on empty state: {baseline.TotalSeconds:F2} s)");
    }
}
