using System.Globalization;
using Monitor.Detectors;
using Monitor.Detectors.Verification;
using Monitor.Store;

namespace Monitor.Hosting.Verification;

/// <summary>
/// Sends late daily sheets up a level: at every tick of its clock it asks the store for the unsigned sheets not yet at
/// head office, whatever their age, and raises each to the level its deadlines have reached (<see cref="SheetDeadlines"/>):
/// the parent branch's officers, then head office. A branch with no parent (head office itself) is not escalated. The
/// store raises a sheet once per level and writes each in the audit log, so every node of a cluster may run one.
/// </summary>
public sealed class SheetEscalator(AlertStore store, Func<DetectorSnapshot> settings, TimeProvider clock, Action<string> log)
{
    /// <summary>Told of each sheet this escalator moved up, with the level it reached (the notifications push it).</summary>
    public Action<string, string, int>? Escalated { get; init; }

    /// <summary>Escalates what is due now; returns how many sheets moved up a level.</summary>
    public async Task<int> TickAsync()
    {
        var now = clock.GetUtcNow();
        var deadlines = SheetDeadlines.Of(settings());
        var (toParent, toHeadOffice) = (0, 0);
        var tree = await store.BranchTreeAsync();
        var due = new List<SheetEscalation>();
        foreach (var (branch, day, level) in await store.UnsignedSheetsAsync())
        {
            if (tree.GetValueOrDefault(branch) is null) continue; // head office's own sheets: there is no one above
            var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var reached = deadlines.LevelAt(date, now);
            if (reached > level) due.Add(new SheetEscalation(branch, day, reached, l => $"not signed by {deadlines.Due(date, l):yyyy-MM-dd HH:mm zzz}"));
        }
        foreach (var raised in await store.EscalateAsync(due))
        {
            Escalated?.Invoke(raised.BranchId, raised.Day, raised.Level);
            if (raised.Level == SheetStatus.HeadOffice) toHeadOffice++;
            else toParent++;
        }
        // One line per tick, not per sheet: a backlog of days replayed at once would otherwise flood the log.
        if (toParent + toHeadOffice > 0)
            log($"daily sheets not signed in time: {toParent} went to the parent branch's officers, {toHeadOffice} to head office (GET /api/sheets?state=escalated)");
        return toParent + toHeadOffice;
    }

    /// <summary>Ticks every <paramref name="every"/> of its clock until stopped; a store that fails a tick is tried again at the next.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await TickAsync();
            }
            catch (System.Data.Common.DbException e)
            {
                log($"escalating late daily sheets failed, trying again in {every.TotalMinutes:N0} min: {e.Message}");
            }
            try
            {
                await Task.Delay(every, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
