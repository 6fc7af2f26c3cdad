using System.Collections.Concurrent;
using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// Pushes what people must know at once (docs/notifications.md): critical alerts (at the routes' severity), automatic
/// suspensions with their branch notices, daily sheets sent up a level, and branches the safety valve stopped. Told
/// of each published batch, it writes the notices, routes them by the settings of the moment and hands them to its
/// <see cref="DeliveryQueue"/>; nothing here waits for a network or the store, so detection never waits for it.
/// An alert is told once per severity it reaches (a later revision at the same severity is not news).
/// </summary>
public sealed class Notifier : IAsyncDisposable
{
    private const int RememberedAlerts = 50_000;
    private static readonly string[] Severities = ["low", "medium", "high", "critical"];

    private readonly Func<NotificationSettings> _settings;
    private readonly Func<string> _zoneId;
    private readonly INoticeLedger _ledger;
    private readonly TimeProvider _clock;
    private readonly Action<string> _log;
    private readonly DeliveryQueue _queue;
    private readonly Dictionary<string, int> _told = new(StringComparer.Ordinal);
    private readonly Queue<string> _toldOrder = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refreshing;
    private volatile IReadOnlyDictionary<string, string?> _tree = new Dictionary<string, string?>();
    private volatile IReadOnlyDictionary<string, string> _branchNames = new Dictionary<string, string>();
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    public Notifier(Func<NotificationSettings> settings, Func<string> zoneId, INoticeLedger ledger, TimeProvider clock, Action<string> log,
        ISender? http = null, ISender? smtp = null)
    {
        _settings = settings;
        _zoneId = zoneId;
        _ledger = ledger;
        _clock = clock;
        _log = log;
        http ??= new HttpSender(new HttpClient(), clock);
        smtp ??= new SmtpSender(() => settings().Smtp);
        _queue = new DeliveryQueue(settings, r => r.Channel.Type == NotificationChannel.Email ? smtp : http, ledger, clock, log);
        _refreshing = RefreshTreeAsync();
    }

    public NotifierCounters Counters => _queue.Counters;

    private NoticeBuilder Builder()
    {
        var zone = Zones.GetOrAdd(_zoneId(), TimeZoneInfo.FindSystemTimeZoneById);
        var names = _branchNames;
        return new NoticeBuilder(zone, _settings().ConsoleUrl, _clock, id => names.GetValueOrDefault(id));
    }

    /// <summary>What one batch published: its alerts, the commands it sends, the branches the valve stopped in it, its newest event time.</summary>
    public void Published(IReadOnlyList<Alert> alerts, IReadOnlyList<PermissionCommand> commands, IReadOnlyList<string> shut, DateTimeOffset? latest)
    {
        var settings = _settings();
        if (!settings.Enabled || (settings.Routes.Count == 0 && settings.Contacts.Count == 0)) return;
        var build = Builder();
        foreach (var a in alerts)
        {
            if (a.Flight is not null || !ToldBefore(a, out var rank)) continue;
            if (Offer(build.Alert(a)) > 0) Remember(a.AlertId, rank);
        }
        foreach (var c in commands.Where(c => c.Action == "suspend"))
        {
            var deciding = alerts.FirstOrDefault(a => c.AlertIds.Count > 0 && a.AlertId == c.AlertIds[^1]);
            Offer(build.Suspension(c, deciding?.Rule, deciding?.Severity));
            if (build.BranchNotice(c) is { } notice) Offer(notice);
        }
        foreach (var branch in shut) Offer(build.Valve(branch, latest));
    }

    /// <summary>A command an officer caused (a reinstatement): its branch notice goes to the branch's contact.</summary>
    public void Commanded(PermissionCommand c)
    {
        if (_settings().Enabled && Builder().BranchNotice(c) is { } notice) Offer(notice);
    }

    /// <summary>A daily sheet went up to the parent branch (level 1) or head office (level 2).</summary>
    public void Escalated(string branchId, string day, int level)
    {
        if (_settings().Enabled) Offer(Builder().Escalation(branchId, day, level));
    }

    /// <summary>Waits until every delivery is made or given up, or <paramref name="timeout"/> is over.</summary>
    public Task<bool> DrainAsync(TimeSpan timeout) => _queue.DrainAsync(timeout);

    private int Offer(Notice n)
    {
        var to = NoticeRouter.Route(_settings(), n, Line(n.BranchId));
        return to.Count == 0 ? 0 : _queue.Offer(n, to);
    }

    /// <summary>False when the alert was told at its severity (or higher) already; its severity's rank otherwise.</summary>
    private bool ToldBefore(Alert a, out int rank)
    {
        rank = Array.IndexOf(Severities, a.Severity);
        lock (_lock) return !_told.TryGetValue(a.AlertId, out var told) || rank > told;
    }

    private void Remember(string alertId, int rank)
    {
        lock (_lock)
        {
            if (!_told.ContainsKey(alertId))
            {
                _toldOrder.Enqueue(alertId);
                if (_toldOrder.Count > RememberedAlerts) _told.Remove(_toldOrder.Dequeue());
            }
            _told[alertId] = rank;
        }
    }

    /// <summary>The branch, its parent, and so on up to head office, as far as the closed days named them.</summary>
    private IReadOnlyList<string> Line(string? branchId)
    {
        var line = new List<string>();
        var tree = _tree;
        for (var b = branchId; b is not null && line.Count < 16 && !line.Contains(b); b = tree.GetValueOrDefault(b)) line.Add(b);
        return line;
    }

    /// <summary>Reads the tree of branches from the store now and every minute (a sub-branch joins its parent's routes and contact with its first closed day).</summary>
    private async Task RefreshTreeAsync()
    {
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var settings = _settings();
                if (settings.Enabled && (settings.Routes.Any(r => r.Branches.Count > 0) || settings.Contacts.Count > 0)) _tree = await _ledger.BranchTreeAsync();
                if (settings.Enabled) _branchNames = await _ledger.BranchNamesAsync();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                // The store does not answer: the routes go by the tree last read.
            }
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), _clock, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _refreshing;
        await _queue.DisposeAsync();
        _stop.Dispose();
    }
}
