using System.Globalization;
using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Pipeline;
using NodaTime;
using Monitor.Detectors.Texts;

namespace Monitor.Detectors.Rules;

/// <summary>
/// REGISTER_MISMATCH for one account: every delivered report of a purpose the settings list needs an entry of the
/// approval register (查询审批登记簿) for the same user, subject and purpose, approved at most <c>windowHours</c> before
/// the read or <c>lateEntryMinutes</c> after it, and one entry covers one read ("实际查询次数必须和登记薄上记载的一致",
/// 管理办法 §13, §22; 规范 5.3.2.2). A failed attempt uses no entry but makes its entry count as used. The day is judged
/// when it closes (its end plus the allowed lateness: entries come a little after the reads), and only when the
/// register delivered entries for the user's branch that day (<see cref="DayClose.RegisterCovers"/>): a bank without
/// the feed, or a day the feed failed, is told on the daily sheet, not flooded with findings. A read is also judged as
/// soon as it can be (issue 18, <see cref="Due"/>): once the user's own event time is past it by <c>lateEntryMinutes</c>
/// and the allowed lateness, on a day whose register has already delivered the user's own entries.
/// </summary>
public sealed class RegisterLedger : IDurableState
{
    private const int Shown = 3;
    private readonly List<Approval> _entries = [];
    private readonly SortedDictionary<int, Book> _days = [];

    /// <summary>A delivered report or a failed attempt of the user: takes its entry, or waits for one until its day closes.</summary>
    public void Read(in EventContext c)
    {
        var e = c.Event;
        if (e.Purpose is not { } purpose || !Needs(c.Policy.Rules.RegisterMismatch, purpose)) return;
        var window = Window(c);
        var at = IndexOf(e.SubjectKey, purpose, e.OccurredAt - window.Before, e.OccurredAt + window.After);
        if (!e.IsSuccessfulQuery)
        {
            if (at >= 0) _entries[at] = _entries[at] with { Attempted = true };
            return;
        }
        var book = BookOf(Findings.DayNumber(c.Day), e.BranchId);
        book.Reads++;
        if (at >= 0) _entries.RemoveAt(at);
        else book.Unmatched.Add(new Waiting(e.EventId, e.OccurredAt, e.SubjectKey, e.SubjectId ?? "", purpose, false));
    }

    /// <summary>An entry of the register: covers the earliest read still waiting for it, or waits for its read.</summary>
    public void Entry(in EventContext c)
    {
        var e = c.Event;
        if (e.Purpose is not { } purpose || e.ApprovedAt is not { } approved) return;
        var day = Findings.DayNumber(Instant.FromDateTimeOffset(approved).InZone(c.Policy.Zone).Date);
        BookOf(day, e.BranchId).Entries++;
        var window = Window(c);
        foreach (var book in _days.Values)
        {
            var i = book.Unmatched.FindIndex(r => r.Subject == e.SubjectKey && r.Purpose == purpose && r.At >= approved - window.After && r.At <= approved + window.Before);
            if (i < 0) continue;
            book.Unmatched.RemoveAt(i);
            return;
        }
        if (!Needs(c.Policy.Rules.RegisterMismatch, purpose)) return; // an entry for a purpose the bank does not reconcile
        _entries.Add(new Approval(e.EventId, e.RegisterId ?? "", e.SubjectKey, purpose, approved, false, day, e.BranchId));
    }

    /// <summary>
    /// The early view: reads whose entry can no longer come (the user's event time <paramref name="now"/> is past them by
    /// <c>lateEntryMinutes</c> and <paramref name="lateness"/>), on days the register has delivered this user's entries;
    /// one finding per day with each such read not raised before. The day's close adds a finding only for reads this did
    /// not raise.
    /// </summary>
    public void Due(in EventContext c, string userId, DateTimeOffset now, TimeSpan lateness, List<Finding> into)
    {
        var after = TimeSpan.FromMinutes(c.Policy.Rules.RegisterMismatch.LateEntryMinutes) + lateness;
        foreach (var (day, book) in _days)
        {
            if (book.Entries == 0 || book.Unmatched.Count == 0) continue;
            List<Waiting>? due = null;
            for (var i = 0; i < book.Unmatched.Count; i++)
            {
                var r = book.Unmatched[i];
                if (r.Flagged || r.At + after > now) continue;
                book.Unmatched[i] = r with { Flagged = true };
                (due ??= []).Add(r);
            }
            if (due is null) continue;
            var zone = c.Policy.Zone;
            var dayKey = DayKey(day);
            into.Add(Finding(userId, book.BranchId, dayKey, due[0].EventId, due[0].At, book.Unmatched.Count / (double)Math.Max(1, book.Reads),
                Phrase.Of(due.Count == 1 ? "REGISTER_MISMATCH.lateOne" : "REGISTER_MISMATCH.late", userId, dayKey, due.Count, c.Policy.Rules.RegisterMismatch.LateEntryMinutes,
                    Listed(due.Select(r => Phrase.Of("register.read", Local(r.At, zone), Catalog.Wire(r.Purpose), r.SubjectId)).ToList()), book.Entries)));
        }
    }

    /// <summary>
    /// Closes the days through <see cref="DayClose.Day"/>: a finding for each day the register covered with reads that
    /// had no entry (unless the early view raised every one of them already), and one for the entries whose window ran out with no read (an entry is itself the feed's proof,
    /// so those need no coverage); returns each closed, covered day's figures for the daily sheet.
    /// </summary>
    public Dictionary<string, RegisterDay> Close(DayClose close, string userId, Func<string, Settings.BranchPolicy> policyOf, List<Finding> into)
    {
        var figures = new Dictionary<string, RegisterDay>(StringComparer.Ordinal);
        while (_days.Count > 0 && _days.First() is var (day, book) && day <= close.Day)
        {
            _days.Remove(day);
            if (!close.RegisterCovers(day, book.BranchId)) continue;
            var dayKey = DayKey(day);
            figures[dayKey] = new RegisterDay(book.Reads, book.Entries, book.Unmatched.Count);
            if (book.Unmatched.Count == 0 || book.Unmatched.All(r => r.Flagged)) continue;
            var zone = policyOf(book.BranchId).Zone;
            var first = book.Unmatched[0];
            into.Add(Finding(userId, book.BranchId, dayKey, first.EventId, first.At, book.Unmatched.Count / (double)Math.Max(1, book.Reads),
                Phrase.Of(book.Unmatched.Count == 1 ? "REGISTER_MISMATCH.readOne" : "REGISTER_MISMATCH.reads", userId, dayKey, book.Reads, book.Entries, book.Unmatched.Count,
                    Listed(book.Unmatched.Select(r => Phrase.Of("register.read", Local(r.At, zone), Catalog.Wire(r.Purpose), r.SubjectId)).ToList()))));
        }
        Unused(close, userId, policyOf, into);
        return figures;
    }

    /// <summary>Entries whose window is over with no read: one finding per approval day, when the settings count them.</summary>
    private void Unused(DayClose close, string userId, Func<string, Settings.BranchPolicy> policyOf, List<Finding> into)
    {
        List<Approval>? expired = null;
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            var x = _entries[i];
            var s = policyOf(x.BranchId).Rules.RegisterMismatch;
            if (x.ApprovedAt + s.EntryLife > close.At) continue;
            _entries.RemoveAt(i);
            if (!x.Attempted && s.UnusedEntries) (expired ??= []).Add(x);
        }
        if (expired is null) return;
        foreach (var group in expired.GroupBy(x => (x.Day, x.BranchId)).OrderBy(g => g.Key.Day))
        {
            var list = group.OrderBy(x => x.ApprovedAt).ToList();
            var zone = policyOf(group.Key.BranchId).Zone;
            var dayKey = DayKey(group.Key.Day);
            into.Add(Finding(userId, group.Key.BranchId, dayKey, list[0].EventId, list[0].ApprovedAt, 1,
                Phrase.Of(list.Count == 1 ? "REGISTER_MISMATCH.unusedOne" : "REGISTER_MISMATCH.unused", userId, dayKey, list.Count,
                    Listed(list.Select(x => Phrase.Of("register.entry", x.RegisterId, Local(x.ApprovedAt, zone), Catalog.Wire(x.Purpose))).ToList()))));
        }
    }

    /// <summary>The first <see cref="Shown"/> items, and "…" when there are more.</summary>
    private static Phrase Listed(List<Phrase> items) =>
        Phrase.Join("sep.semicolon", items.Count > Shown ? items.Take(Shown).Cast<object>().Append("…") : items);

    private static Finding Finding(string userId, string branchId, string dayKey, string eventId, DateTimeOffset at, double magnitude, Phrase explanation) =>
        new(RuleIds.RegisterMismatch, EntityKind.User, userId, userId, branchId, Severity.Medium, at, eventId,
            explanation)
        {
            Period = dayKey,
            Magnitude = Math.Min(1, magnitude),
        };

    private static string DayKey(int day) => DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Local(DateTimeOffset t, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(t).InZone(zone).LocalDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// The entry a read takes: of those for its subject and purpose within the window, one no failed attempt has marked
    /// if there is one, and of those the latest approved (the approval made for this read, not an older one a
    /// failed attempt left behind).
    /// </summary>
    private int IndexOf(ulong subject, Purpose purpose, DateTimeOffset from, DateTimeOffset to)
    {
        var best = -1;
        for (var i = 0; i < _entries.Count; i++)
        {
            var x = _entries[i];
            if (x.Subject != subject || x.Purpose != purpose || x.ApprovedAt < from || x.ApprovedAt > to) continue;
            if (best < 0)
            {
                best = i;
                continue;
            }
            var b = _entries[best];
            if ((b.Attempted && !x.Attempted) || (b.Attempted == x.Attempted && x.ApprovedAt > b.ApprovedAt)) best = i;
        }
        return best;
    }

    private static (TimeSpan Before, TimeSpan After) Window(in EventContext c) =>
        (TimeSpan.FromHours(c.Policy.Rules.RegisterMismatch.WindowHours), TimeSpan.FromMinutes(c.Policy.Rules.RegisterMismatch.LateEntryMinutes));

    private static bool Needs(Settings.RegisterMismatchSettings s, Purpose p)
    {
        var name = WireNames.Of(p);
        foreach (var listed in s.Purposes)
            if (string.Equals(listed, name, StringComparison.Ordinal)) return true;
        return false;
    }

    private Book BookOf(int day, string branchId)
    {
        if (!_days.TryGetValue(day, out var book)) _days[day] = book = new Book { BranchId = branchId };
        return book;
    }

    /// <summary>An entry waiting for its read; <see cref="Attempted"/> once a failed attempt matched it.</summary>
    private readonly record struct Approval(string EventId, string RegisterId, ulong Subject, Purpose Purpose, DateTimeOffset ApprovedAt, bool Attempted, int Day, string BranchId);

    /// <summary>A delivered report waiting for its entry; <see cref="Flagged"/> once the early view raised it.</summary>
    private readonly record struct Waiting(string EventId, DateTimeOffset At, ulong Subject, string SubjectId, Purpose Purpose, bool Flagged);

    /// <summary>One open day: reads needing an entry, entries approved, reads still without one.</summary>
    private sealed class Book
    {
        public required string BranchId { get; set; }
        public int Reads { get; set; }
        public int Entries { get; set; }
        public List<Waiting> Unmatched { get; } = [];
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(RegisterLedger));
        w.Write(_entries, static (w, x) =>
        {
            w.Write(x.EventId);
            w.Write(x.RegisterId);
            w.Write(unchecked((long)x.Subject));
            w.Write((int)x.Purpose);
            w.Write(x.ApprovedAt);
            w.Write(x.Attempted);
            w.Write(x.Day);
            w.Write(x.BranchId);
        });
        w.Write(_days, static (w, d) => w.Write(d), static (w, b) =>
        {
            w.Write(b.BranchId);
            w.Write(b.Reads);
            w.Write(b.Entries);
            w.Write(b.Unmatched, static (w, r) =>
            {
                w.Write(r.EventId);
                w.Write(r.At);
                w.Write(unchecked((long)r.Subject));
                w.Write(r.SubjectId);
                w.Write((int)r.Purpose);
                w.Write(r.Flagged);
            });
        });
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(RegisterLedger));
        _entries.Clear();
        _entries.AddRange(r.ReadList(static r => new Approval(r.ReadString(), r.ReadString(), unchecked((ulong)r.ReadLong()), (Purpose)r.ReadInt(), r.ReadTime(), r.ReadBool(), r.ReadInt(), r.ReadString())));
        _days.Clear();
        r.ReadInto(_days, static r => r.ReadInt(), static r =>
        {
            var b = new Book { BranchId = r.ReadString(), Reads = r.ReadInt(), Entries = r.ReadInt() };
            b.Unmatched.AddRange(r.ReadList(static r => new Waiting(r.ReadString(), r.ReadTime(), unchecked((ulong)r.ReadLong()), r.ReadString(), (Purpose)r.ReadInt(), r.ReadBool())));
            return b;
        });
    }
}
