using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Settings;

namespace Monitor.Detectors.Suspension;

/// <summary>
/// The last check before a suspend command leaves the monitor, bank-wide: protected accounts are never suspended
/// automatically (settings are read afresh, so a reload applies at once), a branch that has had <see cref="SuspensionSettings.ValvePerBranchPerHour"/> automatic
/// suspensions within an hour of event time gets no more until an officer reopens it (a bad threshold or a broken
/// feed must never lock out a whole branch), and in shadow mode nothing is sent at all. A withheld command turns
/// the alert behind it into a critical one for people, saying what the monitor would have done and why it did not.
/// </summary>
public sealed class SuspensionGate(Func<SuspensionSettings> current) : IDurableState
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shut = new(StringComparer.Ordinal);
    private readonly List<string> _newlyShut = [];

    /// <summary>Branches whose automatic suspension the valve has stopped.</summary>
    public IReadOnlyCollection<string> ShutBranches => _shut;

    /// <summary>Branches shut before a restart (from the alert store): they stay shut.</summary>
    public void Shut(IEnumerable<string> branches)
    {
        foreach (var b in branches) _shut.Add(b);
    }

    /// <summary>Branches the valve shut since the last call, for the store to remember.</summary>
    public List<string> TakeNewlyShut()
    {
        var shut = _newlyShut.ToList();
        _newlyShut.Clear();
        return shut;
    }

    /// <summary>An officer reopens automatic suspension for a branch after looking into why the valve shut it.</summary>
    public bool Reopen(string branchId)
    {
        _recent.Remove(branchId);
        return _shut.Remove(branchId);
    }

    /// <summary>
    /// Passes a batch's commands, oldest first (ties by id, so every run decides alike). Commands that may go are
    /// returned; for each withheld one, the alert behind it in <paramref name="alerts"/> is replaced by its
    /// critical, explained version.
    /// </summary>
    public List<PermissionCommand> Pass(IReadOnlyList<PermissionCommand> commands, List<Alert> alerts)
    {
        var sent = new List<PermissionCommand>(commands.Count);
        foreach (var c in commands.OrderBy(c => c.IssuedAt).ThenBy(c => c.CommandId, StringComparer.Ordinal))
        {
            if (c.Action != "suspend")
            {
                sent.Add(c);
                continue;
            }
            var withheld = Withheld(c);
            if (withheld is null) sent.Add(c);
            else Escalate(c, withheld.Value.Why, withheld.Value.Shadow, alerts);
        }
        return sent;
    }

    /// <summary>Why the command may not go (null: it may); <c>Shadow</c> when only shadow mode holds it back.</summary>
    private (string Why, bool Shadow)? Withheld(PermissionCommand c)
    {
        var settings = current();
        if (settings.Protected.Contains(c.UserId, StringComparer.Ordinal))
            return ($"{c.UserId} is a protected account, never suspended automatically", false);
        if (_shut.Contains(c.BranchId))
            return ($"automatic suspension is stopped for branch {c.BranchId} until an officer reopens it", false);
        if (!_recent.TryGetValue(c.BranchId, out var recent)) _recent[c.BranchId] = recent = new Queue<DateTimeOffset>();
        while (recent.Count > 0 && c.IssuedAt - recent.Peek() >= Hour) recent.Dequeue();
        if (recent.Count >= settings.ValvePerBranchPerHour)
        {
            if (_shut.Add(c.BranchId)) _newlyShut.Add(c.BranchId);
            return ($"branch {c.BranchId} already had {recent.Count} automatic suspensions within the hour; automatic suspension is stopped there until an officer reopens it (a bad threshold or a broken feed must not lock out a branch)", false);
        }
        if (settings.Shadow) return ("shadow mode: the policy runs without sending commands", true);
        recent.Enqueue(c.IssuedAt);
        return null;
    }

    private static void Escalate(PermissionCommand c, string why, bool shadow, List<Alert> alerts)
    {
        var text = shadow
            ? $" [Shadow mode: would have suspended {c.UserId} (command {c.CommandId}); nothing was sent.]"
            : $" [Automatic suspension of {c.UserId} withheld: {why}. An officer must decide.]";
        var index = alerts.FindLastIndex(a => c.AlertIds.Contains(a.AlertId));
        if (index < 0) return;
        var a = alerts[index];
        alerts[index] = a with
        {
            Severity = shadow ? a.Severity : "critical",
            Score = shadow ? a.Score : Math.Max(a.Score, 90),
            Explanation = a.Explanation + text,
            SuspensionRequested = false,
        };
    }

    /// <summary>The valve's recent suspensions per branch and the branches it shut (between batches, nothing is newly shut).</summary>
    public void Save(StateWriter w)
    {
        w.Section("SuspensionGate");
        w.Write(_recent, static (w, b) => w.Write(b), static (w, q) => w.Write(q, static (w, t) => w.Write(t)));
        w.Write(_shut, static (w, b) => w.Write(b));
        w.Write(_newlyShut, static (w, b) => w.Write(b));
    }

    public void Restore(StateReader r)
    {
        r.Section("SuspensionGate");
        _recent.Clear();
        r.ReadInto(_recent, static r => r.ReadString(), static r => new Queue<DateTimeOffset>(r.ReadList(static r => r.ReadTime())));
        _shut.Clear();
        foreach (var b in r.ReadList(static r => r.ReadString())) _shut.Add(b);
        _newlyShut.Clear();
        _newlyShut.AddRange(r.ReadList(static r => r.ReadString()));
    }
}
