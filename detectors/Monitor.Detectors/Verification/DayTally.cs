using Monitor.Contracts;
using Monitor.Contracts.State;
using Monitor.Detectors.Rules;

namespace Monitor.Detectors.Verification;

/// <summary>
/// A user's figures for the daily verification sheet, per open local day, closed into a <see cref="UserDay"/>
/// when event time has passed the day's end plus the allowed lateness (the coordinator's day-end tick). Counting
/// follows the rules' own predicates (a delivered report, a purpose that needs authorization, OFF_HOURS's working
/// hours), so the sheet and the alerts never disagree on what happened. The spot-check sample is drawn from the
/// event id alone, so a replay or a restart draws the same reports.
/// </summary>
public sealed class DayTally : IDurableState
{
    private const int Scale = 1_000_000;

    /// <summary>Reads are counted per purpose in an array on the hot path (one slot per purpose, the last for none), named when the day closes.</summary>
    private static readonly string[] PurposeNames = [.. Enum.GetValues<Purpose>().Select(p => WireNames.Of(p)), "unstated"];

    private static readonly Dictionary<string, int> PurposeSlot = PurposeNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
    private readonly SortedDictionary<int, Counts> _open = [];

    /// <summary>Whether a report with this event id is in the spot-check sample at <paramref name="rate"/> (0–1).</summary>
    public static bool Sampled(string eventId, double rate) => QueryLogEvent.KeyOf(eventId) % Scale < (ulong)Math.Round(rate * Scale);

    /// <summary>Counts one of the user's events in its local day.</summary>
    public void Observe(in EventContext c, double sampleRate)
    {
        var e = c.Event;
        var dayNumber = c.Day.ToDateOnly().DayNumber;
        if (!_open.TryGetValue(dayNumber, out var day)) _open[dayNumber] = day = new Counts { Day = c.DayKey };
        day.BranchId = e.BranchId;
        day.EmployeeId = e.EmployeeId ?? day.EmployeeId;
        day.ParentBranchId = e.ParentBranchId ?? day.ParentBranchId;
        switch (e.Type)
        {
            case EventType.Query:
                if (e.Outcome is not Outcome.Denied && !c.Policy.IsOffHoursExempt(e.Channel) && !c.InWorkingHours) day.OffHours++;
                if (!e.IsSuccessfulQuery)
                {
                    day.Refused++;
                    break;
                }
                var slot = e.Purpose is { } p ? (int)p : PurposeNames.Length - 1;
                day.Reads[slot]++;
                if (e.Purpose is { } needs && Purposes.RequiresAuthorization(needs))
                {
                    day.NeedingAuthorization++;
                    if (!string.IsNullOrWhiteSpace(e.AuthorizationId)) day.Authorized++;
                }
                if (Sampled(e.EventId, sampleRate))
                    day.Sample.Add(new SampledQuery(e.EventId, e.OccurredAt, PurposeNames[slot], e.SubjectType is { } t ? WireNames.Of(t) : null, e.SubjectId, e.AuthorizationId));
                break;
            case EventType.Login:
                if (e.Outcome is Outcome.Failed or Outcome.Denied) day.LoginFailures++;
                else day.Logins++;
                break;
            case EventType.Account:
                day.AccountChanges++;
                break;
        }
    }

    /// <summary>The user's days up to day number <paramref name="throughDay"/>, closed and forgotten, oldest first.</summary>
    public List<UserDay> Close(int throughDay, string userId)
    {
        var closed = new List<UserDay>();
        while (_open.Count > 0 && _open.First() is var (number, day) && number <= throughDay)
        {
            _open.Remove(number);
            closed.Add(new UserDay
            {
                UserId = userId, BranchId = day.BranchId, EmployeeId = day.EmployeeId, ParentBranchId = day.ParentBranchId, Day = day.Day,
                Reads = new SortedDictionary<string, int>(day.ReadsByName(), StringComparer.Ordinal), Refused = day.Refused,
                NeedingAuthorization = day.NeedingAuthorization, Authorized = day.Authorized, OffHours = day.OffHours,
                Logins = day.Logins, LoginFailures = day.LoginFailures, AccountChanges = day.AccountChanges, Sample = day.Sample,
            });
        }
        return closed;
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(DayTally));
        w.Write(_open, (w, n) => w.Write(n), (w, d) =>
        {
            w.Write(d.Day);
            w.Write(d.BranchId);
            w.WriteNullable(d.EmployeeId);
            w.WriteNullable(d.ParentBranchId);
            w.Write(d.ReadsByName(), (w, k) => w.Write(k), (w, v) => w.Write(v));
            foreach (var n in new[] { d.Refused, d.NeedingAuthorization, d.Authorized, d.OffHours, d.Logins, d.LoginFailures, d.AccountChanges }) w.Write(n);
            w.Write(d.Sample, (w, s) =>
            {
                w.Write(s.EventId);
                w.Write(s.OccurredAt);
                w.Write(s.Purpose);
                w.WriteNullable(s.SubjectType);
                w.WriteNullable(s.SubjectId);
                w.WriteNullable(s.AuthorizationId);
            });
        });
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(DayTally));
        _open.Clear();
        r.ReadInto(_open, r => r.ReadInt(), r =>
        {
            var d = new Counts { Day = r.ReadString(), BranchId = r.ReadString(), EmployeeId = r.ReadNullableString(), ParentBranchId = r.ReadNullableString() };
            var reads = new Dictionary<string, int>(StringComparer.Ordinal);
            r.ReadInto(reads, r => r.ReadString(), r => r.ReadInt());
            foreach (var (name, n) in reads)
                d.Reads[PurposeSlot.TryGetValue(name, out var slot) ? slot : throw new StateFormatException($"unknown purpose {name} in a day tally")] = n;
            (d.Refused, d.NeedingAuthorization, d.Authorized, d.OffHours) = (r.ReadInt(), r.ReadInt(), r.ReadInt(), r.ReadInt());
            (d.Logins, d.LoginFailures, d.AccountChanges) = (r.ReadInt(), r.ReadInt(), r.ReadInt());
            d.Sample.AddRange(r.ReadList(r => new SampledQuery(r.ReadString(), r.ReadTime(), r.ReadString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString())));
            return d;
        });
    }

    private sealed class Counts
    {
        public required string Day { get; init; }
        public string BranchId { get; set; } = "";
        public string? EmployeeId { get; set; }
        public string? ParentBranchId { get; set; }
        public int[] Reads { get; } = new int[PurposeNames.Length];

        /// <summary>The purposes read that day, by wire name.</summary>
        public Dictionary<string, int> ReadsByName()
        {
            var named = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < Reads.Length; i++)
                if (Reads[i] > 0) named[PurposeNames[i]] = Reads[i];
            return named;
        }
        public int Refused { get; set; }
        public int NeedingAuthorization { get; set; }
        public int Authorized { get; set; }
        public int OffHours { get; set; }
        public int Logins { get; set; }
        public int LoginFailures { get; set; }
        public int AccountChanges { get; set; }
        public List<SampledQuery> Sample { get; } = [];
    }
}
