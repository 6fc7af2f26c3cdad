namespace Monitor.Detectors.Peers;

/// <summary>Reads of the bank or of one branch's own users on a day (or so far in it), against what its usual day held (by then), and how many users read.</summary>
public readonly record struct PeerCount(int Reads, double Usual, int Users)
{
    /// <summary>Whether there is a usual to compare with (the bank or branch has enough history of that kind of day).</summary>
    public bool Known => Usual > 0 && !double.IsNaN(Usual);
}

/// <summary>The one formula of a peer factor, at a day's end and as a day goes on.</summary>
public static class PeerFactors
{
    /// <summary>Reads that pull a thin count towards the expected factor: a branch of a few users says little by 09:00.</summary>
    public const double Shrink = 30;

    /// <summary>The largest factor anyone is judged with: beyond it a day is not a peak but an incident of its own.</summary>
    public const double Max = 5;

    /// <summary>
    /// Counting noise the peers' reads are discounted by, in standard deviations: a branch of seven reading 10% more than
    /// usual is noise, and crediting it would hide a user's own rise; the whole bank reading 80% more is not.
    /// </summary>
    public const double Noise = 1.5;

    /// <summary>
    /// The peers' reads over their usual, leaving out <paramref name="ownReads"/> and <paramref name="ownUsual"/>, less
    /// <see cref="Noise"/> standard deviations of counting noise, pulled towards <paramref name="prior"/> (the day's expected
    /// factor) by <see cref="Shrink"/> reads; the prior when the usual is not known.
    /// </summary>
    public static double LeaveOut(PeerCount peers, int ownReads, double ownUsual, double prior)
    {
        if (!peers.Known) return prior;
        var others = Math.Max(0, peers.Reads - ownReads);
        var usual = Math.Max(0, peers.Usual - Math.Max(0, ownUsual));
        return (others - Noise * Math.Sqrt(others) + Shrink * prior) / (usual + Shrink);
    }

    /// <summary>At least 1 (a quiet day makes nobody more suspicious), at most <see cref="Max"/>.</summary>
    public static double Clamp(double factor) => double.IsNaN(factor) ? 1 : Math.Clamp(factor, 1, Max);
}
