using Monitor.Contracts.State;
using Monitor.Contracts;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// SHARED_ACCOUNT for one account: where it was last active (terminal, address) within the window. A
/// successful login or query from a second terminal or address while the first sighting is inside the
/// window means two places at once (人户统一, 专人专用). Only sightings inside the window are kept.
/// </summary>
public sealed class AccountSightings : IDurableState
{
    private readonly List<(DateTimeOffset At, string? Terminal, string? Ip)> _recent = new(2);

    public Finding? Observe(in EventContext c, TimeSpan window)
    {
        var e = c.Event;
        if (e.Type == EventType.Account || e.Outcome is not Outcome.Success || (e.TerminalId is null && e.Ip is null)) return null;
        var now = e.OccurredAt;
        for (var i = _recent.Count - 1; i >= 0; i--)
            if ((now - _recent[i].At).Duration() > window) _recent.RemoveAt(i);
        Finding? finding = null;
        foreach (var s in _recent)
        {
            var otherTerminal = e.TerminalId is not null && s.Terminal is not null && s.Terminal != e.TerminalId;
            var otherIp = e.Ip is not null && s.Ip is not null && s.Ip != e.Ip;
            if (!otherTerminal && !otherIp) continue;
            var where = otherTerminal ? Phrase.Of("where.terminals", s.Terminal, e.TerminalId) : Phrase.Of("where.addresses", s.Ip, e.Ip);
            var gap = (e.OccurredAt - s.At).Duration();
            finding = Findings.OnUser(c, RuleIds.SharedAccount, Severity.High, Phrase.Of("SHARED_ACCOUNT.places", e.UserId, where, Catalog.Duration(gap),
                c.LocalTextOf(s.At), c.LocalText, window.TotalMinutes.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
            break;
        }
        for (var i = _recent.Count - 1; i >= 0; i--)
            if (_recent[i].Terminal == e.TerminalId && _recent[i].Ip == e.Ip) _recent.RemoveAt(i);
        _recent.Add((e.OccurredAt, e.TerminalId, e.Ip));
        if (_recent.Count > 8) _recent.RemoveAt(0);
        return finding;
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(AccountSightings));
        w.Write(_recent, static (w, s) =>
        {
            w.Write(s.At);
            w.WriteNullable(s.Terminal);
            w.WriteNullable(s.Ip);
        });
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(AccountSightings));
        _recent.Clear();
        _recent.AddRange(r.ReadList(static r => (r.ReadTime(), r.ReadNullableString(), r.ReadNullableString())));
    }
}
