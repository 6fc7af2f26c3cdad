using System.Data.Common;
using Monitor.Contracts;

namespace Monitor.Ingest;

/// <summary>
/// What the live path does while the alert store refuses a batch's outputs (a full disk, a read-only file, a
/// database that went away): the step is retried with growing pauses (1 s doubling to 30 s) until the store
/// takes it, the monitor reports not-ready with the store's error meanwhile, logs one line per period instead
/// of one per attempt, and says when the store is back. The batch is held in memory, so nothing of it is
/// acknowledged, lost or sent twice. Errors that are not the store's (a bug) are not retried.
/// </summary>
public sealed class StoreRetry(ReadinessState readiness, PipelineStats stats, Action<string> log, TimeProvider clock)
{
    public const string Condition = "store";

    private readonly ErrorDigest _digest = new(Condition, TimeSpan.FromSeconds(30), clock, log);

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The store could not do its part; retrying may succeed.</summary>
    public static bool IsStoreFailure(Exception e) =>
        e is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException
        || (e.InnerException is { } inner && IsStoreFailure(inner));

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 (attempt 1 failed: the first delay).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max) =>
        TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>
    /// Runs <paramref name="step"/> until it succeeds; between attempts <paramref name="wait"/> is given the pause
    /// (the consumer keeps its group membership there without taking new messages).
    /// </summary>
    public async Task<T> RunAsync<T>(string what, Func<Task<T>> step, Func<TimeSpan, Task> wait, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var result = await step();
                if (readiness.Clear(Condition)) _digest.Recovered("writes succeed again, consumption resumes");
                return result;
            }
            catch (Exception e) when (IsStoreFailure(e) && !ct.IsCancellationRequested)
            {
                stats.RecordStoreFailure();
                var error = OneLine(e);
                readiness.Set(Condition, $"{what} failed ({error}); consumption stopped, nothing of the batch acknowledged, retrying");
                _digest.Report($"{what} failed ({error}); consumption stopped, offsets not committed, retrying with backoff");
                await wait(Delay(attempt, FirstDelay, MaxDelay));
            }
        }
    }

    /// <summary>Logs a summary when one is due.</summary>
    public void Tick() => _digest.Tick();

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();
}
