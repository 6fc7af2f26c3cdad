using Monitor.Detectors.Settings;
using Monitor.Models;
using static Monitor.Detectors.Behaviour.BehaviourFeatures;

namespace Monitor.Detectors.Behaviour;

/// <summary>
/// The decision on one closed window, from three views (docs/models.md):
/// <list type="bullet">
/// <item><b>own</b>: each feature's deviation above the entity's usual, in standard deviations that allow for
/// counting noise (a share of 5 reports is noisier than one of 50) and for the entity's own day-to-day spread;</item>
/// <item><b>drift</b>: the same deviations summed over days beyond a slack, so a change too slow to stand out on
/// any one day (volume creeping up 10% a day) still adds up;</item>
/// <item><b>peer</b>: the window's distance from its peer group's model, against the 99th percentile of the
/// group's own windows. It counts only when the entity's own history agrees something changed (or there is
/// no history yet), so a user who has always differed from its branch is not an outlier every day.</item>
/// </list>
/// Pure: the only state it touches is the drift sums it is handed.
/// </summary>
public static class BehaviourJudge
{
    /// <summary>Fewer reports than this and a share says nothing on its own (1 odd report of 1 is not a 100% share).</summary>
    private const int MinShareReports = 5;
    private const double PeerWithoutHistory = 0.6;
    private const double PeerNeedsOwn = 3;

    /// <param name="x">The window's features.</param>
    /// <param name="reports">Reports read in the window (the count shares are of).</param>
    /// <param name="attempts">Query attempts in the window (the count the failure rate is of).</param>
    /// <param name="median">The entity's usual per feature, or null without enough history.</param>
    /// <param name="spread">The entity's day-to-day spread per feature (with <paramref name="median"/>).</param>
    /// <param name="drift">Per-feature drift sums, updated in place when there is history.</param>
    /// <param name="peer">The peer group's model, or null when the group has none yet.</param>
    /// <param name="s">Thresholds.</param>
    /// <param name="coldStartPeers">Whether peers alone may judge an entity without history (users: yes; a branch's siblings are too unlike it for that).</param>
    public static BehaviourVerdict Judge(float[] x, int reports, int attempts, double[]? median, double[]? spread, double[] drift, PeerModel? peer, BehaviourSettings s,
        bool coldStartPeers = true)
    {
        var z = new double[Count];
        var ownMax = 0.0;
        var driftMax = 0.0;
        if (median is not null && spread is not null)
        {
            for (var f = 0; f < Count; f++)
            {
                z[f] = Math.Max(0, Deviation(f, x[f], median[f], spread[f], reports, attempts));
                drift[f] = Math.Max(0, drift[f] + z[f] - s.DriftSlack);
                ownMax = Math.Max(ownMax, z[f]);
                driftMax = Math.Max(driftMax, drift[f]);
            }
        }

        var peerEvidence = 0.0;
        double[]? peerZ = null;
        if (peer is not null && reports >= MinPeerReports)
        {
            var v = Array.ConvertAll(x, f => (double)f);
            var limit = s.PeerFactor * Math.Max(peer.Quantile(0.99), 1e-6);
            peerEvidence = peer.Score(v) / limit;
            if (median is null) peerEvidence = coldStartPeers ? peerEvidence * PeerWithoutHistory : 0;
            else if (ownMax < PeerNeedsOwn) peerEvidence = 0;
            peerZ = new double[Count];
            for (var f = 0; f < Count; f++) peerZ[f] = (v[f] - peer.Mean[f]) / peer.Scale[f];
        }

        var own = ownMax / s.OwnDeviation;
        var drifting = driftMax / s.DriftLimit;
        var weights = new List<FeatureEvidence>(Count);
        for (var f = 0; f < Count; f++)
        {
            var w = median is not null
                ? Math.Max(z[f] / s.OwnDeviation, drift[f] / s.DriftLimit)
                : Math.Max(0, peerZ?[f] ?? 0) / s.OwnDeviation;
            weights.Add(new FeatureEvidence(f, x[f], median?[f], peer?.Median is { Length: Count } m ? m[f] : null, w, drift[f] >= s.DriftLimit));
        }
        weights.Sort((a, b) => b.Weight.CompareTo(a.Weight));
        return new BehaviourVerdict(own, drifting, peerEvidence, weights);
    }

    /// <summary>
    /// How far above its usual a feature is, in standard deviations: counts against Poisson noise plus the
    /// entity's own spread (at least 10% of the usual), shares of at least 5 reports against binomial noise of the
    /// window's size plus the entity's spread (at least 3 points), other counts against their spread (at least a step of 0.75).
    /// </summary>
    public static double Deviation(int feature, double observed, double usual, double spread, int reports, int attempts)
    {
        if (feature == Queries)
        {
            var mu = Math.Exp(usual) - 1;
            var n = Math.Exp(observed) - 1;
            var between = Math.Max(mu * spread, 0.1 * mu);
            return (n - mu) / Math.Sqrt(mu + between * between + 1);
        }
        if (IsShare(feature))
        {
            var count = feature == FailureRate ? attempts : reports;
            if (count < MinShareReports) return 0;
            var p = Math.Clamp(usual, 0.02, 0.98);
            var sd = Math.Max(Math.Sqrt(p * (1 - p) / count + 0.03 * 0.03), spread);
            var z = (observed - usual) / sd;
            // The normal view allows for the entity's own day-to-day spread; the exact binomial tail keeps a
            // handful of reports from looking rarer than counting noise makes them. The smaller wins.
            return z <= 0 ? z : Math.Min(z, Tails.BinomialZ((int)Math.Round(observed * count), count, p));
        }
        var floor = feature == ActiveUsers ? Math.Max(1, 0.1 * usual) : 0.75;
        return (observed - usual) / Math.Max(spread, floor);
    }
}
