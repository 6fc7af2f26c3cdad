using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Monitor.Models;

/// <summary>
/// Trains a peer group's model with ML.NET's randomized PCA (anomaly detection) on its members' feature
/// windows, then extracts a <see cref="PeerModel"/>. Training is meant for a background task; nothing here is
/// on the detection path.
/// </summary>
public static class PeerModelTrainer
{
    private static double Whisper(int row, int feature)
    {
        var h = unchecked((uint)(row * 73856093) ^ (uint)(feature * 19349663));
        h = unchecked(h * 2654435761u);
        return ((h >> 8) / (double)(1 << 24) - 0.5) * 2e-3;
    }

    private sealed class Row
    {
        [VectorType]
        public float[] Features { get; set; } = [];
    }

    /// <param name="version">Recorded in the model and in every alert it raises.</param>
    /// <param name="features">The feature names, in vector order.</param>
    /// <param name="rows">Feature vectors of the peer group's windows, all of <paramref name="features"/>' length.</param>
    /// <param name="rank">Principal directions kept as "ordinary"; at most the number of features minus one.</param>
    /// <param name="seed">ML.NET's seed: the same rows give the same model.</param>
    /// <param name="minScale">Per feature, the smallest spread that counts as one unit (a share all peers hold near 0 still
    /// needs a unit, or its first real departure would be infinitely far); by default a tenth of the feature's magnitude, or 1.</param>
    public static PeerModel Train(string version, string[] features, IReadOnlyList<double[]> rows, int rank = 3, int seed = 1, double[]? minScale = null)
    {
        if (rows.Count < 2) throw new ArgumentException("a peer group needs at least two windows to train on", nameof(rows));
        var n = features.Length;
        var mean = new double[n];
        var scale = new double[n];
        for (var i = 0; i < n; i++)
        {
            var column = rows.Select(r => r[i]).ToArray();
            mean[i] = column.Average();
            var sd = Math.Sqrt(column.Sum(v => (v - mean[i]) * (v - mean[i])) / column.Length);
            // A feature all peers share exactly still needs a unit: the caller's floor, or a tenth of its magnitude, or 1.
            scale[i] = minScale is not null ? Math.Max(sd, minScale[i]) : sd > 1e-9 ? sd : Math.Max(Math.Abs(mean[i]) * 0.1, 1);
        }

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        // A whisper of fixed pseudo-random noise (a thousandth of a unit) keeps features every peer holds at the same
        // value from leaving the randomized PCA a rank-deficient matrix, on which ML.NET's eigenvectors come out NaN.
        var data = ml.Data.LoadFromEnumerable(rows.Select((r, row) => new Row { Features = r.Select((v, i) => (float)((v - mean[i]) / scale[i] + Whisper(row, i))).ToArray() }), schema);
        var k = Math.Clamp(rank, 1, Math.Max(1, n - 1));
        var trainer = ml.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
        {
            FeatureColumnName = nameof(Row.Features), Rank = k, Seed = seed, EnsureZeroMean = false
        });
        var model = trainer.Fit(data).Model;

        VBuffer<float>[] vectors = [];
        model.GetEigenVectors(ref vectors, out var kept);
        var components = vectors.Take(kept).Select(v => v.DenseValues().Select(x => (double)x).ToArray()).ToArray();
        var median = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sorted = rows.Select(r => r[i]).Order().ToArray();
            median[i] = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        var peer = new PeerModel(version, features, mean, scale, components, []) { Median = median };
        var componentScale = new double[components.Length];
        for (var d = 0; d < components.Length; d++)
        {
            var direction = components[d];
            var projections = rows.Select(r => direction.Select((c, i) => c * (r[i] - mean[i]) / scale[i]).Sum()).ToArray();
            var m = projections.Average();
            componentScale[d] = Math.Max(Math.Sqrt(projections.Sum(p => (p - m) * (p - m)) / projections.Length), 1e-6);
        }
        var residualScale = Math.Max(rows.Average(r => Math.Pow(peer.Residual(r), 2)), 1e-6);
        peer = peer with { ComponentScale = componentScale, ResidualScale = residualScale };
        var training = rows.Select(r => peer.Score(r)).Order().ToArray();
        return peer with { TrainingScores = training };
    }
}
