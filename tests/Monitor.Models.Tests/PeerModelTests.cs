using Xunit;

namespace Monitor.Models.Tests;

public sealed class PeerModelTests
{
    private static readonly string[] Features = ["queries", "distinct_subjects", "post_loan_share", "off_hours_share", "terminals"];

    /// <summary>A branch's ordinary user-days: busier days read proportionally more subjects; shares stay near their usual.</summary>
    private static List<double[]> Branch(int days, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(_ =>
        {
            var queries = 10 + random.NextDouble() * 40;
            return new[] { queries, queries * (0.85 + random.NextDouble() * 0.1), 0.08 + random.NextDouble() * 0.06, random.NextDouble() * 0.04, 1 + (random.Next(0, 10) == 0 ? 1 : 0) };
        }).ToList();
    }

    [Fact]
    public void A_user_day_whose_purposes_shift_to_post_loan_stands_out_from_its_peers_and_says_why()
    {
        var model = PeerModelTrainer.Train("t1", Features, Branch(300, 1));
        double[] shifted = [30, 27, 0.64, 0.02, 1];
        Assert.True(model.Rank(model.Score(shifted)) >= 0.999, $"rank {model.Rank(model.Score(shifted))}");
        var top = model.Contributions(shifted).First();
        Assert.Equal("post_loan_share", top.Feature);
        Assert.Equal(0.64, top.Observed);
        Assert.InRange(top.Expected, 0.1, 0.12);
    }

    [Fact]
    public void Ordinary_days_of_the_same_branch_not_seen_in_training_rank_as_ordinary()
    {
        var model = PeerModelTrainer.Train("t1", Features, Branch(300, 1));
        var unseen = Branch(200, 2).Select(d => model.Rank(model.Score(d))).ToList();
        Assert.True(unseen.Count(r => r >= 0.999) <= 2, $"{unseen.Count(r => r >= 0.999)} of 200 ordinary days ranked as rare");
    }

    [Fact]
    public void A_busier_day_with_the_usual_mix_is_judged_by_its_shape_not_its_size()
    {
        // Twice the branch's busiest day, but subjects, purposes and hours in the usual proportions: the PCA
        // directions carry "busier", so the residual stays small; the same size with half the subjects does not.
        var model = PeerModelTrainer.Train("t1", Features, Branch(300, 1));
        var busy = model.Residual([100, 90, 0.11, 0.02, 1]);
        var oddShape = model.Residual([100, 45, 0.11, 0.02, 1]);
        Assert.True(busy * 3 < oddShape, $"busy {busy:F2}, odd shape {oddShape:F2}");
    }

    [Fact]
    public void Training_on_the_same_windows_gives_the_same_model()
    {
        var a = PeerModelTrainer.Train("t1", Features, Branch(100, 3));
        var b = PeerModelTrainer.Train("t1", Features, Branch(100, 3));
        Assert.Equal(a.TrainingScores, b.TrainingScores);
        Assert.Equal(a.Residual([30, 27, 0.64, 0.02, 1]), b.Residual([30, 27, 0.64, 0.02, 1]));
    }
}
