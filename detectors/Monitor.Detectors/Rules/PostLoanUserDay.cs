using Monitor.Contracts.State;
namespace Monitor.Detectors.Rules;

/// <summary>One user's post-loan day as its branch sees it, with the user's usual share and count over its last active days.</summary>
internal sealed class PostLoanUserDay : IDurableState
{
    private const int History = 10;
    private readonly (double Share, int Count)[] _days = new (double, int)[History];
    private int _next;

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
        if (_next is < 0 or >= History || HistoryDays is < 0 or > History) throw new StateFormatException("post-loan history position out of range");
    }
}
