using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Texts;

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
                : Finding(c, Phrase.Of("terminals.branch", Phrase.Join("sep.comma", settings.Terminals)));
        if (_learned.Contains(e.TerminalId)) return null;
        if (_learned.Count < settings.LearnTerminals)
        {
            _learned.Add(e.TerminalId);
            return null;
        }
        return Finding(c, Phrase.Of(_learned.Count > 1 ? "terminals.learned" : "terminals.learnedOne", Phrase.Join("sep.comma", _learned.ToList())));
    }

    private static Finding Finding(in EventContext c, Phrase dedicated) =>
        Findings.OnUser(c, RuleIds.WindowTerminal, Severity.High, Phrase.Of(RuleIds.WindowTerminal, c.Event.UserId, c.Event.TerminalId, c.LocalText, dedicated));

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
