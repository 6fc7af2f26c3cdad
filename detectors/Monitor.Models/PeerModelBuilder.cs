namespace Monitor.Models;

/// <summary>
/// One training run: a <see cref="PeerModel"/> for every peer group with enough windows from enough members.
/// Groups are trained one after another on the calling thread, so a run costs one core at most.
/// </summary>
public static class PeerModelBuilder
{
    /// <param name="version">The set's version, recorded in every alert scored against it.</param>
    /// <param name="trainedThroughDay">The newest window day the run may use.</param>
    /// <param name="features">Feature names, in vector order.</param>
    /// <param name="groups">Rows per group, from <see cref="TrainingSet.Snapshot"/>.</param>
    /// <param name="minRows">Fewer windows than this and the group gets no model (its members fall back to a wider group).</param>
    /// <param name="minMembers">Fewer distinct entities than this is not a peer group.</param>
    /// <param name="rank">Principal directions kept as ordinary.</param>
    /// <param name="minScale">Per feature, the smallest spread that counts as one unit (see <see cref="PeerModelTrainer"/>).</param>
    public static PeerModelSet Build(string version, int trainedThroughDay, string[] features, IReadOnlyDictionary<string, IReadOnlyList<ClosedWindow>> groups,
        int minRows = 100, int minMembers = 4, int rank = 3, double[]? minScale = null)
    {
        var models = new Dictionary<string, PeerModel>(StringComparer.Ordinal);
        foreach (var (group, windows) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (windows.Count < minRows) continue;
            var members = windows.Select(w => w.EntityId).Distinct(StringComparer.Ordinal).Count();
            if (members < minMembers) continue;
            var rows = windows.Select(w => Array.ConvertAll(w.Features, f => (double)f)).ToList();
            // A group whose windows vary in fewer directions than the rank (kiosks: every report a self-query) makes
            // ML.NET's randomized PCA fail; fewer directions are then all there is to learn.
            for (var k = rank; k >= 1; k--)
            {
                try
                {
                    models[group] = PeerModelTrainer.Train($"{version}/{group}", features, rows, k, minScale: minScale) with { Members = members };
                    break;
                }
                catch (ArgumentOutOfRangeException)
                {
                }
            }
        }
        return new PeerModelSet(version, trainedThroughDay, models);
    }
}
