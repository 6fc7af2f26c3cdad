using Monitor.Detectors.Settings;
using Monitor.Store;

namespace Monitor.Ingest;

/// <summary>
/// Brings the analysts' suppressions from the alert store into the settings in force, so the detectors judge by
/// them beside the settings file's without a restart: at start, right after the officers' API makes or ends one
/// (<see cref="RefreshAsync"/>), and every <see cref="Interval"/> for those another monitor instance on the same
/// store made (a cluster's other nodes). What goes to the detectors is decided here alone (<see cref="ToDetection"/>);
/// <see cref="SettingsInForce"/> tells the graph only when the list changed.
/// </summary>
public sealed class StoreSuppressions(AlertStore store, SettingsInForce settings, Action<string> report)
{
    /// <summary>How often the store is read again for changes made elsewhere.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _one = new(1, 1);
    private bool _failing;

    /// <summary>
    /// Reads every suppression the store holds and puts them in force; true when that changed what the detectors
    /// judge by. A store that does not answer leaves the last ones in force (and is said once, until it answers).
    /// </summary>
    public async Task<bool> RefreshAsync()
    {
        await _one.WaitAsync(); // one read at a time, so an older read never replaces a newer one
        try
        {
            List<StoredSuppression> rows;
            try
            {
                rows = await store.SuppressionsAsync(all: true);
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                // Any failure, not only the database's: the suppression was recorded (or not) by the store itself, and an
                // unforeseen failure here must neither fail the analyst's request nor end the refreshing.
                if (!_failing) report($"suppressions: cannot read them from the alert store ({e.GetType().Name}: {e.Message}); the last ones read stay in force, retrying every {Interval.TotalSeconds:0} s");
                _failing = true;
                return false;
            }
            if (_failing) report("suppressions: the alert store answers again");
            _failing = false;
            return settings.UseStored(ToDetection(rows));
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Refreshes every <paramref name="every"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan every, TimeProvider clock, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await RefreshAsync();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The store's suppressions as the detectors judge by them, oldest first: each covers findings of its rule and
    /// entity from when it was made until its expiry, or until it was ended early (<see cref="StoredSuppression.Ends"/>).
    /// Ended and expired ones stay in the list: a late event, or a replay, from their time is judged as it was then.
    /// </summary>
    public static IReadOnlyList<Suppression> ToDetection(IEnumerable<StoredSuppression> rows) =>
    [
        .. rows.Where(r => r.Ends > r.CreatedAt).OrderBy(r => r.Id).Select(r => new Suppression
        {
            Rule = r.Rule,
            EntityType = r.EntityType,
            EntityId = r.EntityId,
            From = r.CreatedAt,
            Until = r.Ends,
            Reason = r.Reason,
            By = r.CreatedBy,
            StoreId = r.Id,
        }),
    ];
}
