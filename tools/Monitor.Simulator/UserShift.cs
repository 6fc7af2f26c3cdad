namespace Monitor.Simulator;

/// <summary>
/// A user's ordinary traffic bent on days <paramref name="From"/>..<paramref name="To"/>: that share of its
/// queries turned to post-loan management on subjects its branch knows, or to subjects first read at a branch
/// outside its own line (<paramref name="ForeignBranch"/>).
/// </summary>
internal sealed record UserShift(int From, int To, double PostLoanShare, double ForeignShare, string? ForeignBranch)
{
    public bool On(int day) => day >= From && day <= To;
}
