namespace Monitor.Detectors.Behaviour;

/// <summary>
/// How unusual one window is, view by view, on the evidence scale where 1 is the default threshold of a view
/// (see <see cref="BehaviourJudge"/>), with the per-feature figures an explanation quotes.
/// </summary>
public sealed record BehaviourVerdict(double Own, double Drift, double Peer, IReadOnlyList<FeatureEvidence> Features)
{
    public double Evidence => Math.Max(Own, Math.Max(Drift, Peer));

    /// <summary>The evidence on the rules' 0–100 scale: 1 (a view at its limit) scores 50, 2 scores 75, 3 scores 88.</summary>
    public int Score => (int)Math.Clamp(Math.Round(100 * (1 - Math.Pow(2, -Evidence))), 0, 100);
}

/// <summary>One feature's part in a verdict: observed, the entity's usual (null without history), the peers' median (null without a model), and its weight.</summary>
public sealed record FeatureEvidence(int Feature, double Observed, double? Usual, double? PeerMedian, double Weight, bool Drifting);
