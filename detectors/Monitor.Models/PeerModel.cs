namespace Monitor.Models;

/// <summary>
/// What scoring against a peer group needs, taken out of a trained ML.NET PCA model: the peers' mean, the
/// per-feature scale, and the principal directions of ordinary behaviour. Scoring a window is a few dot products
/// with no ML.NET objects and no allocation beyond the caller's buffer, so an actor can score every window on
/// the hot path, and a model can be saved and reloaded as plain numbers.
/// </summary>
public sealed record PeerModel(string Version, string[] Features, double[] Mean, double[] Scale, double[][] Components, double[] TrainingScores)
{
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

    /// <summary>The share of training windows with a residual below this one: 0.5 is typical, 0.999 is rare among the peers.</summary>
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
