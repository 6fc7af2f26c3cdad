using Monitor.Contracts;
using Monitor.Contracts.State;

namespace Monitor.Detectors.Rules;

/// <summary>
/// WINDOW_TERMINAL for one account: a window-query account (窗口查询用户) reads credit reports only on its dedicated
/// query machines (查询专机, 用户管理规范 5.3.2.2). The machines are the branch's list in the settings
/// (<c>windowTerminal.terminals</c>); without one, the account's first <c>learnTerminals</c> machines are taken as
/// its own and remembered. A delivered report read on any other machine is a finding; a read without a terminal id
/// cannot be judged and is left alone.
/// </summary>
public sealed class WindowTerminals : IDurableState
{
    private readonly List<string> _learned = [];

    public Finding? Observe(in EventContext c)
    {
        var e = c.Event;
        if (!e.IsSuccessfulQuery || e.UserRole != UserRole.WindowQuery || string.IsNullOrWhiteSpace(e.TerminalId)) return null;
        var settings = c.Policy.Rules.WindowTerminal;
        if (settings.Terminals.Count > 0)
            return settings.Terminals.Contains(e.TerminalId, StringComparer.Ordinal) ? null
                : Finding(c, $"the branch's dedicated query machines are {string.Join(", ", settings.Terminals)}");
        if (_learned.Contains(e.TerminalId)) return null;
        if (_learned.Count < settings.LearnTerminals)
        {
            _learned.Add(e.TerminalId);
            return null;
        }
        return Finding(c, $"its dedicated query machine{(_learned.Count > 1 ? "s are" : " is")} {string.Join(", ", _learned)} (the first it used; no list is set for the branch)");
    }

    private static Finding Finding(in EventContext c, string dedicated) =>
        Findings.OnUser(c, RuleIds.WindowTerminal, Severity.High,
            $"window-query account {c.Event.UserId} read a credit report on terminal {c.Event.TerminalId} at {c.LocalText} local; {dedicated}; "
            + "a window-query account may read only on its dedicated query machines (查询专机)");

    public void Save(StateWriter w)
    {
        w.Section(nameof(WindowTerminals));
        w.Write(_learned, static (w, t) => w.Write(t));
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(WindowTerminals));
        _learned.Clear();
        _learned.AddRange(r.ReadList(static r => r.ReadString()));
    }
}
