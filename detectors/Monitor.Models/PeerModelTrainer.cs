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
    public static PeerModel Train(string version, string[] features, IReadOnlyList<double[]> rows, int rank = 3, int seed = 1)
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
            // A feature all peers share exactly still needs a unit: a tenth of its magnitude, or 1.
            scale[i] = sd > 1e-9 ? sd : Math.Max(Math.Abs(mean[i]) * 0.1, 1);
        }

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r.Select((v, i) => (float)((v - mean[i]) / scale[i])).ToArray() }), schema);
        var k = Math.Clamp(rank, 1, Math.Max(1, n - 1));
        var trainer = ml.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
        {
            FeatureColumnName = nameof(Row.Features), Rank = k, Seed = seed, EnsureZeroMean = false,
        });
        var model = trainer.Fit(data).Model;

        VBuffer<float>[] vectors = [];
        model.GetEigenVectors(ref vectors, out var kept);
        var components = vectors.Take(kept).Select(v => v.DenseValues().Select(x => (double)x).ToArray()).ToArray();
        var peer = new PeerModel(version, features, mean, scale, components, []);
        var training = rows.Select(r => peer.Residual(r)).Order().ToArray();
        return peer with { TrainingScores = training };
    }
}
