using Monitor.Contracts.State;
namespace Monitor.Detectors.Rules;

/// <summary>
/// One user's post-loan day as its branch sees it, with the user's usual share and count over its last active days, and
/// its post-loan reads judged and its distinct unknown subjects per day over the last days (POST_LOAN_CUMULATIVE).
/// </summary>
internal sealed class PostLoanUserDay : IDurableState
{
    private const int History = 10;
    private const int Window = Settings.SettingsLoader.PostLoanWindowMax;
    private readonly (double Share, int Count)[] _days = new (double, int)[History];
    private readonly (int Day, int Judged, int Unknown)[] _window = Empty();
    private int _next;

    /// <summary>Distinct subjects of today's judged post-loan reads the branch did not know (all of them, for the rolling window).</summary>
    public HashSet<ulong>? UnknownToday { get; set; }

    /// <summary>When POST_LOAN_CUMULATIVE last raised the user, and with how many unknown subjects.</summary>
    public (int Day, int Count) Raised { get; set; } = (int.MinValue, 0);

    /// <summary>Counts a judged post-loan read of <paramref name="day"/>, and a newly seen unknown subject when <paramref name="freshUnknown"/>.</summary>
    public void Judged(int day, bool freshUnknown)
    {
        var slot = day % Window;
        if (_window[slot].Day != day) _window[slot] = (day, 0, 0);
        _window[slot] = (day, _window[slot].Judged + 1, _window[slot].Unknown + (freshUnknown ? 1 : 0));
    }

    /// <summary>Post-loan reads judged and distinct unknown subjects (summed per day) over the <paramref name="days"/> days ending with <paramref name="today"/>.</summary>
    public (int Judged, int Unknown) Over(int today, int days)
    {
        int judged = 0, unknown = 0;
        foreach (var (day, j, u) in _window)
        {
            if (day > today - days && day <= today)
            {
                judged += j;
                unknown += u;
            }
        }
        return (judged, unknown);
    }

    private static (int, int, int)[] Empty()
    {
        var w = new (int, int, int)[Window];
        Array.Fill(w, (int.MinValue, 0, 0));
        return w;
    }

    public int Day { get; private set; } = int.MinValue;
    public int Total { get; set; }
    public int PostLoan { get; set; }
    public HashSet<ulong>? Unknown { get; set; }
    public int HistoryDays { get; private set; }
    public double UsualShare => HistoryDays == 0 ? 0 : _days.Take(HistoryDays).Average(d => d.Share);
    public double UsualCount => HistoryDays == 0 ? 0 : _days.Take(HistoryDays).Average(d => d.Count);

    /// <summary>Moves to <paramref name="day"/>, keeping the finished day (with at least 5 queries) as history.</summary>
    public void Roll(int day)
    {
        if (day <= Day) return;
        if (Total >= 5)
        {
            _days[_next] = ((double)PostLoan / Total, PostLoan);
            _next = (_next + 1) % History;
            HistoryDays = Math.Min(History, HistoryDays + 1);
        }
        Day = day;
        Total = 0;
        PostLoan = 0;
        Unknown = null;
        UnknownToday = null;
    }

    public void Save(StateWriter w)
    {
        w.Section(nameof(PostLoanUserDay));
        w.Write(_days, static (w, d) =>
        {
            w.Write(d.Share);
            w.Write(d.Count);
        });
        w.Write(_next);
        w.Write(Day);
        w.Write(Total);
        w.Write(PostLoan);
        w.Write(Unknown is not null);
        if (Unknown is not null) w.Write(Unknown, static (w, k) => w.WriteKey(k));
        w.Write(HistoryDays);
        w.Write(_window, static (w, d) =>
        {
            w.Write(d.Day);
            w.Write(d.Judged);
            w.Write(d.Unknown);
        });
        w.Write(UnknownToday is not null);
        if (UnknownToday is not null) w.Write(UnknownToday, static (w, k) => w.WriteKey(k));
        w.Write(Raised.Day);
        w.Write(Raised.Count);
    }

    public void Restore(StateReader r)
    {
        r.Section(nameof(PostLoanUserDay));
        r.ReadArray(_days, static r => (r.ReadDouble(), r.ReadInt()));
        _next = r.ReadInt();
        Day = r.ReadInt();
        Total = r.ReadInt();
        PostLoan = r.ReadInt();
        Unknown = r.ReadBool() ? [.. r.ReadList(static r => r.ReadKey())] : null;
        HistoryDays = r.ReadInt();
        r.ReadArray(_window, static r => (r.ReadInt(), r.ReadInt(), r.ReadInt()));
        UnknownToday = r.ReadBool() ? [.. r.ReadList(static r => r.ReadKey())] : null;
        Raised = (r.ReadInt(), r.ReadInt());
        if (_next is < 0 or >= History || HistoryDays is < 0 or > History) throw new StateFormatException("post-loan history position out of range");
    }
}
