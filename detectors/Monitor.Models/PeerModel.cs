namespace Monitor.Models;

/// <summary>
/// What scoring against a peer group needs, taken out of a trained ML.NET PCA model: the peers' mean, the
/// per-feature scale, and the principal directions of ordinary behaviour. Scoring a window is a few dot products
/// with no ML.NET objects and no allocation beyond the caller's buffer, so an actor can score every window on
/// the hot path, and a model can be saved and reloaded as plain numbers.
/// </summary>
public sealed record PeerModel(string Version, string[] Features, double[] Mean, double[] Scale, double[][] Components, double[] TrainingScores)
{
    /// <summary>Per feature, the median of the peers' windows: what an explanation quotes as "branch median".</summary>
    public double[] Median { get; init; } = [];

    /// <summary>The spread of the training windows along each principal direction (for <see cref="Score"/>).</summary>
    public double[] ComponentScale { get; init; } = [];

    /// <summary>The mean squared residual of the training windows (for <see cref="Score"/>).</summary>
    public double ResidualScale { get; init; } = 1;

    /// <summary>How many distinct entities the training windows came from.</summary>
    public int Members { get; init; }

    /// <summary>The residual below which a share <paramref name="q"/> of the training windows fall (0.99: the 99th percentile).</summary>
    public double Quantile(double q)
    {
        if (TrainingScores.Length == 0) return 0;
        var at = (int)Math.Clamp(Math.Ceiling(q * TrainingScores.Length) - 1, 0, TrainingScores.Length - 1);
        return TrainingScores[at];
    }

    /// <summary>
    /// The distance of a feature vector from the peers' ordinary subspace: the norm of what the principal
    /// components leave unexplained, in standardized units.
    /// </summary>
    public double Residual(ReadOnlySpan<double> features)
    {
        Span<double> z = features.Length <= 64 ? stackalloc double[features.Length] : new double[features.Length];
        for (var i = 0; i < z.Length; i++) z[i] = (features[i] - Mean[i]) / Scale[i];
        var total = 0.0;
        foreach (var v in z) total += v * v;
        foreach (var c in Components)
        {
            var projection = 0.0;
            for (var i = 0; i < z.Length; i++) projection += z[i] * c[i];
            total -= projection * projection;
        }
        return Math.Sqrt(Math.Max(total, 0));
    }

    /// <summary>
    /// How far a window is from its peers, all directions counted: along each principal direction in units of
    /// the peers' spread there (a user twice as far along "more post-loan, fewer approvals" as any peer is far,
    /// even though that is a direction peers vary in), plus the residual in units of the peers' residuals. This
    /// is the statistic <see cref="TrainingScores"/> and <see cref="Rank"/> are in.
    /// </summary>
    public double Score(ReadOnlySpan<double> features)
    {
        Span<double> z = features.Length <= 64 ? stackalloc double[features.Length] : new double[features.Length];
        for (var i = 0; i < z.Length; i++) z[i] = (features[i] - Mean[i]) / Scale[i];
        var total = 0.0;
        foreach (var v in z) total += v * v;
        var t2 = 0.0;
        for (var k = 0; k < Components.Length; k++)
        {
            var projection = 0.0;
            for (var i = 0; i < z.Length; i++) projection += z[i] * Components[k][i];
            total -= projection * projection;
            var unit = ComponentScale.Length > k ? ComponentScale[k] : 1;
            t2 += projection * projection / (unit * unit);
        }
        return Math.Sqrt(t2 + Math.Max(total, 0) / ResidualScale);
    }

    /// <summary>The share of training windows with a score below this one: 0.5 is typical, 0.999 is rare among the peers.</summary>
    public double Rank(double residual)
    {
        var at = Array.BinarySearch(TrainingScores, residual);
        if (at < 0) at = ~at;
        return (double)at / Math.Max(1, TrainingScores.Length);
    }

    /// <summary>Per feature, its standardized distance from the peers' mean: which features made a window stand out.</summary>
    public IEnumerable<(string Feature, double Observed, double Expected, double Deviation)> Contributions(double[] features) =>
        Features.Select((f, i) => (f, features[i], Mean[i], (features[i] - Mean[i]) / Scale[i])).OrderByDescending(x => Math.Abs(x.Item4));
}
