using System.Threading.Channels;
using Monitor.Contracts;
using Channel = System.Threading.Channels.Channel;

namespace Monitor.Notify;

/// <summary>
/// Delivers notices off the detection path: <see cref="Offer"/> only counts and hands over (never waits), a few workers
/// send, and a failed attempt waits its backoff (<see cref="Backoff"/>) outside the workers before it is tried again.
/// At most <c>notifications.queue</c> deliveries wait or retry at once; more are dropped and counted. Each delivery is
/// claimed once in the ledger (a restart or another node does not tell the same twice), and each attempt, delivered or
/// failed, is a line in the audit log.
/// </summary>
public sealed class DeliveryQueue : IAsyncDisposable
{
    private readonly Channel<Delivery> _work = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<NotificationSettings> _settings;
    private readonly Func<Recipient, ISender> _senderOf;
    private readonly INoticeLedger _ledger;
    private readonly TimeProvider _clock;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _lastDropLog;

    public DeliveryQueue(Func<NotificationSettings> settings, Func<Recipient, ISender> senderOf, INoticeLedger ledger, TimeProvider clock, Action<string> log, int workers = 4)
    {
        _settings = settings;
        _senderOf = senderOf;
        _ledger = ledger;
        _clock = clock;
        _log = log;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    public NotifierCounters Counters { get; } = new();

    /// <summary>One delivery of a notice to one recipient, and which attempt is next.</summary>
    private sealed record Delivery(Notice Notice, Recipient To, int Attempt);

    /// <summary>Hands the notice over for each recipient; returns how many were taken (the others were dropped: the queue was full).</summary>
    public int Offer(Notice notice, IReadOnlyList<Recipient> to)
    {
        var taken = 0;
        foreach (var r in to)
        {
            if (!Counters.TryTake(_settings().Queue))
            {
                LogDrop();
                continue;
            }
            _work.Writer.TryWrite(new Delivery(notice, r, 1));
            taken++;
        }
        return taken;
    }

    /// <summary>Waits until nothing waits or retries, or <paramref name="timeout"/> is over; true when all are done.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var until = _clock.GetUtcNow() + timeout;
        while (Counters.Pending > 0 && _clock.GetUtcNow() < until) await Task.Delay(TimeSpan.FromMilliseconds(50), _clock);
        return Counters.Pending == 0;
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var d in _work.Reader.ReadAllAsync(_stop.Token)) await AttemptAsync(d);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task AttemptAsync(Delivery d)
    {
        var settings = _settings();
        var key = $"{d.Notice.Key}>{d.To.Name}";
        if (d.Attempt == 1 && !await ClaimAsync(key))
        {
            Counters.Duplicate();
            return;
        }
        DeliveryOutcome outcome;
        try
        {
            outcome = await _senderOf(d.To).SendAsync(d.Notice, d.To, TimeSpan.FromSeconds(settings.TimeoutSeconds), _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return; // stopping: what is left is counted at the stop
        }
        catch (Exception e)
        {
            outcome = DeliveryOutcome.Failed(e.Message); // a sender's own mistake must not end the worker
        }
        var where = $"{d.Notice.Kind} {d.Notice.Key} via {Where(d.To.Channel)}; attempt {d.Attempt} of {settings.Attempts}: {outcome.Detail}";
        if (outcome.Delivered)
        {
            await RecordAsync("notification-sent", d, where);
            Counters.Done(delivered: true);
            return;
        }
        Counters.FailedAttempt();
        if (Backoff.Retries(outcome, d.Attempt, settings))
        {
            var wait = Backoff.After(d.Attempt, settings);
            await RecordAsync("notification-failed", d, $"{where}; retry in {wait.TotalSeconds:0.#} s");
            _ = RetryAsync(d with { Attempt = d.Attempt + 1 }, wait);
            return;
        }
        await RecordAsync("notification-failed", d, $"{where}; given up{(outcome.Permanent ? " (retrying cannot help)" : "")}");
        Counters.Done(delivered: false);
        _log($"notifications: {d.Notice.Kind} {d.Notice.Key} to {d.To.Name} not delivered after {d.Attempt} attempt(s): {outcome.Detail}");
    }

    private async Task RetryAsync(Delivery next, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _clock, _stop.Token);
            _work.Writer.TryWrite(next);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> ClaimAsync(string key)
    {
        try
        {
            return await _ledger.ClaimAsync(key);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            return true; // the store does not answer: better told twice than not at all
        }
    }

    private async Task RecordAsync(string action, Delivery d, string detail)
    {
        try
        {
            await _ledger.RecordAsync(action, d.To.Name, d.Notice.Title.Zh, detail);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            _log($"notifications: the audit line of a delivery could not be written ({e.Message}): {action} {d.To.Name}: {detail}");
        }
    }

    /// <summary>Where a channel sends, without its secrets (a robot's key in the query string, a password).</summary>
    private static string Where(NotificationChannel c) =>
        c.Type == NotificationChannel.Email ? $"email to {string.Join(", ", c.To)}" : $"{c.Type} {NotificationSettings.RedactUrl(c.Url ?? "")}";

    /// <summary>One line at most every 30 s while deliveries are dropped, with the count so far.</summary>
    private void LogDrop()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastDropLog);
        if (now - last < TimeSpan.TicksPerSecond * 30 || Interlocked.CompareExchange(ref _lastDropLog, now, last) != last) return;
        _log($"notifications: the queue is full ({_settings().Queue} waiting); {Counters.Dropped} deliveries dropped so far (notifications.queue, metric notifications.dropped)");
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await DrainAsync(TimeSpan.FromSeconds(5));
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        if (Counters.Pending > 0) _log($"notifications: {Counters.Pending} deliveries not made at the stop (waiting or between retries)");
        _stop.Dispose();
    }
}
