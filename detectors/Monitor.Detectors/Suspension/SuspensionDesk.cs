using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Settings;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// The one place that decides whether an alert suspends its user: the policy (<see cref="SuspensionPolicy"/>,
/// repeated alerts), each user's memory (suspended until reinstated, alerts that already yielded a command), the
/// bank-wide safety valve per branch, protected accounts and shadow mode, all read from the settings of the
/// moment. Because one class decides, a withheld suspension is not remembered as sent: once the officer reopens
/// the branch, shadow mode is switched off or the account leaves the protected list, the user's next alert
/// suspends. The coordinator calls it once per batch; the user monitors only produce alerts.
/// </summary>
public sealed class SuspensionDesk(Func<SuspensionSettings> current) : IDurableState
{
    private const int RememberedAlerts = 64;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<string, UserMemory> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shut = new(StringComparer.Ordinal);

    /// <summary>Branches whose automatic suspension the valve has stopped.</summary>
    public IReadOnlyCollection<string> ShutBranches => _shut;

    /// <summary>The command that suspended the user and is still in force, if any.</summary>
    public string? ActiveSuspension(string userId) => _users.GetValueOrDefault(userId)?.Active;

    /// <summary>Branches shut before a restart (from the alert store): they stay shut.</summary>
    public void Shut(IEnumerable<string> branches)
    {
        foreach (var b in branches) _shut.Add(b);
    }

    /// <summary>An officer reopens automatic suspension for a branch after looking into why the valve shut it.</summary>
    public bool Reopen(string branchId)
    {
        _recent.Remove(branchId);
        return _shut.Remove(branchId);
    }

    /// <summary>
    /// Decides a batch: <paramref name="events"/> are its accepted events (account events restoring a permission end
    /// the monitor's suspension), <paramref name="alerts"/> the alerts its entities published. Alerts are taken by
    /// event time (ties by id) and a restoring event counts before the alerts that are not older than it.
    /// </summary>
    public SuspensionDecisions Decide(IEnumerable<QueryLogEvent> events, IReadOnlyList<Alert> alerts)
    {
        var restoring = events
            .Where(e => e.Type == EventType.Account && e.Action is AccountAction.Reinstated or AccountAction.Enabled)
            .OrderBy(e => e.OccurredAt).ToList();
        var output = alerts.ToList();
        var changed = new List<Alert>();
        var commands = new List<PermissionCommand>();
        var newlyShut = new List<string>();
        var next = 0;
        var order = Enumerable.Range(0, output.Count)
            .OrderBy(i => output[i].LastEventTime).ThenBy(i => output[i].AlertId, StringComparer.Ordinal).ThenBy(i => output[i].Revision).ToList();
        foreach (var i in order)
        {
            var alert = output[i];
            while (next < restoring.Count && restoring[next].OccurredAt <= alert.LastEventTime) Restore(restoring[next++].UserId);
            var settings = current();
            if (alert.UserId is null || alert.EntityType != "user") continue;
            var memory = Memory(alert.UserId);
            if (memory.Active is not null || memory.Commanded.Contains(alert.AlertId)) continue;
            var (why, behind) = Policy(memory, alert, settings);
            if (why is null) continue;
            var command = Command(alert, behind, why);
            var withheld = Withheld(command, settings, newlyShut);
            if (withheld is null)
            {
                commands.Add(command);
                memory.Suspended(command, alert.AlertId);
                continue;
            }
            output[i] = Escalate(alert, command, withheld.Value.Why, withheld.Value.Shadow);
            changed.Add(output[i]);
        }
        while (next < restoring.Count) Restore(restoring[next++].UserId);
        return new SuspensionDecisions(commands, output, changed, newlyShut);
    }

    private void Restore(string userId)
    {
        if (_users.TryGetValue(userId, out var m)) m.Active = null;
    }

    private UserMemory Memory(string userId)
    {
        if (!_users.TryGetValue(userId, out var m)) _users[userId] = m = new UserMemory();
        return m;
    }

    private static (Phrase? Why, IReadOnlyList<Alert> Behind) Policy(UserMemory memory, Alert alert, SuspensionSettings settings)
    {
        if (SuspensionPolicy.Asks(settings, alert) is { } why) return (why, [alert]);
        if (settings.Repeated is { } r && memory.Repeated(alert, r, settings.NeverAlone) is { } many)
            return (Phrase.Of("policy.repeated", many.Count, r.WithinDays, Catalog.Wire(r.MinSeverity)), many);
        return (null, []);
    }

    private static PermissionCommand Command(Alert alert, IReadOnlyList<Alert> behind, Phrase why)
    {
        var branchId = alert.BranchId ?? "";
        var explanation = Phrase.Of(alert.Explanations ?? Localized.Same(alert.Explanation));
        var reason = behind.Count == 1
            ? Phrase.Of("reason.one", Catalog.Rule(alert.Rule), Catalog.Wire(alert.Severity), alert.Score, why, explanation)
            : Phrase.Of("reason.many", why, Phrase.Join("sep.semicolon", behind.Select(a => Phrase.Of("reason.alert", Catalog.Rule(a.Rule), a.Day, Catalog.Wire(a.Severity), a.Score))),
                explanation);
        return new PermissionCommand
        {
            CommandId = StableId.Of("cmd", "suspend", alert.UserId!, alert.AlertId),
            Action = "suspend",
            UserId = alert.UserId!,
            BranchId = branchId,
            Reason = reason.En,
            Reasons = reason.Both,
            AlertIds = [.. behind.Select(a => a.AlertId)],
            IssuedAt = alert.EventTime,
            Notification = VerificationNotice.For(alert.UserId!, branchId, behind),
        };
    }

    /// <summary>Why the command may not go (null: it may); <c>Shadow</c> when only shadow mode holds it back.</summary>
    private (Phrase Why, bool Shadow)? Withheld(PermissionCommand c, SuspensionSettings settings, List<string> newlyShut)
    {
        if (settings.Protected.Contains(c.UserId, StringComparer.Ordinal))
            return (Phrase.Of("withheld.protected", c.UserId), false);
        if (_shut.Contains(c.BranchId))
            return (Phrase.Of("withheld.stopped", c.BranchId), false);
        if (!_recent.TryGetValue(c.BranchId, out var recent)) _recent[c.BranchId] = recent = new Queue<DateTimeOffset>();
        while (recent.Count > 0 && c.IssuedAt - recent.Peek() >= Hour) recent.Dequeue();
        if (recent.Count >= settings.ValvePerBranchPerHour)
        {
            if (_shut.Add(c.BranchId)) newlyShut.Add(c.BranchId);
            return (Phrase.Of("withheld.valve", c.BranchId, recent.Count), false);
        }
        if (settings.Shadow) return (Phrase.Of("withheld.shadow"), true);
        recent.Enqueue(c.IssuedAt);
        return null;
    }

    private static Alert Escalate(Alert a, PermissionCommand c, Phrase why, bool shadow)
    {
        var text = shadow ? Phrase.Of("escalate.shadow", c.UserId, c.CommandId) : Phrase.Of("escalate.withheld", c.UserId, why);
        return a with
        {
            Severity = shadow ? a.Severity : "critical",
            Score = shadow ? a.Score : Math.Max(a.Score, 90),
            Explanation = a.Explanation + text.En,
            Explanations = (a.Explanations ?? Localized.Same(a.Explanation)).Append(text.Zh, text.En),
            SuspensionRequested = false,
        };
    }

    public void Save(StateWriter w)
    {
        w.Section("suspension-desk");
        w.Write(_users.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(), (x, k) => x.Write(k), (x, m) => m.Save(x));
        w.Write(_recent.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(), (x, k) => x.Write(k), (x, q) => x.Write(q.ToList(), (y, t) => y.Write(t)));
        w.Write(_shut.Order(StringComparer.Ordinal).ToList(), (x, b) => x.Write(b));
    }

    public void Restore(StateReader r)
    {
        r.Section("suspension-desk");
        _users.Clear();
        _recent.Clear();
        _shut.Clear();
        r.ReadInto(_users, x => x.ReadString(), UserMemory.Read);
        r.ReadInto(_recent, x => x.ReadString(), x => new Queue<DateTimeOffset>(x.ReadList(y => y.ReadTime())));
        foreach (var b in r.ReadList(x => x.ReadString())) _shut.Add(b);
    }

    /// <summary>One user's memory: the suspension in force, the alerts that yielded a command, the recent alerts that count towards repetition.</summary>
    private sealed class UserMemory
    {
        private readonly Queue<string> _commandedOrder = new();
        private readonly List<Alert> _recent = [];

        public string? Active { get; set; }
        public HashSet<string> Commanded { get; } = new(StringComparer.Ordinal);

        public void Suspended(PermissionCommand command, string alertId)
        {
            Active = command.CommandId;
            _recent.Clear();
            Commanded.Add(alertId);
            _commandedOrder.Enqueue(alertId);
            if (_commandedOrder.Count > RememberedAlerts) Commanded.Remove(_commandedOrder.Dequeue());
        }

        /// <summary>The distinct alerts within the period once they reach the count, with at least one rule that may suspend alone; else null.</summary>
        public List<Alert>? Repeated(Alert alert, RepeatedAlerts r, IReadOnlyList<string> neverAlone)
        {
            if (!SuspensionPolicy.Counts(r, alert)) return null;
            alert = alert with { Evidence = alert.Evidence.ToList() }; // the type a restored alert has, so a restart changes nothing
            var index = _recent.FindIndex(a => a.AlertId == alert.AlertId);
            if (index >= 0) _recent[index] = alert;
            else _recent.Add(alert);
            var since = alert.EventTime - TimeSpan.FromDays(r.WithinDays);
            _recent.RemoveAll(a => a.LastEventTime < since);
            if (_recent.Count < r.Alerts || _recent.TrueForAll(a => neverAlone.Contains(a.Rule))) return null;
            return [.. _recent.OrderBy(a => a.EventTime).ThenBy(a => a.AlertId, StringComparer.Ordinal)];
        }

        public void Save(StateWriter w)
        {
            w.WriteNullable(Active);
            w.Write(_commandedOrder.ToList(), (x, id) => x.Write(id));
            w.Write(_recent, AlertState.Write);
        }

        public static UserMemory Read(StateReader r)
        {
            var m = new UserMemory { Active = r.ReadNullableString() };
            foreach (var id in r.ReadList(x => x.ReadString()))
            {
                m._commandedOrder.Enqueue(id);
                m.Commanded.Add(id);
            }
            m._recent.AddRange(r.ReadList(AlertState.Read));
            return m;
        }
    }
}

/// <summary>What the desk decided for a batch: the commands that go, the batch's alerts (withheld ones explained), which of them it changed, branches the valve shut.</summary>
public sealed record SuspensionDecisions(List<PermissionCommand> Commands, List<Alert> Alerts, List<Alert> Changed, List<string> NewlyShut);
