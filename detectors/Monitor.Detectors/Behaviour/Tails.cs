namespace Monitor.Detectors.Behaviour;

/// <summary>
/// Exact counting-noise tails for small windows, as standard deviations: 2 self-queries in 5 reports from a
/// user who makes one in thirty is rare, but nowhere near as rare as a normal approximation claims.
/// </summary>
public static class Tails
{
    /// <summary>The binomial upper tail P(X ≥ k) for n trials at rate p, expressed as a one-sided z (capped at 8.5).</summary>
    public static double BinomialZ(int k, int n, double p)
    {
        if (k <= 0 || n <= 0) return 0;
        if (k > n) k = n;
        var logP = Math.Log(p);
        var logQ = Math.Log(1 - p);
        // log C(n, j) p^j q^(n-j) for j = k..n, summed in log space from the largest term.
        var terms = new double[n - k + 1];
        var logC = LogChoose(n, k);
        for (var j = k; j <= n; j++)
        {
            terms[j - k] = logC + j * logP + (n - j) * logQ;
            logC += Math.Log(n - j) - Math.Log(j + 1);
        }
        var max = terms.Max();
        var sum = terms.Sum(t => Math.Exp(t - max));
        var tail = Math.Exp(max) * sum;
        return ZOfTail(tail);
    }

    /// <summary>The Poisson upper tail P(X ≥ k) at mean <paramref name="lambda"/>, expressed as a one-sided z (capped at 8.5).</summary>
    public static double PoissonZ(int k, double lambda)
    {
        if (k <= 0 || lambda <= 0 || k <= lambda) return 0;
        // Terms from j = k on fall away geometrically once j > lambda: sum them in log space from the first.
        var log = -lambda + k * Math.Log(lambda) - LogFactorial(k);
        var sum = 0.0;
        var term = 1.0;
        for (var j = k; j < k + 1000 && term > 1e-12; j++)
        {
            sum += term;
            term *= lambda / (j + 1);
        }
        return ZOfTail(Math.Exp(log) * sum);
    }

    private static double LogFactorial(int k)
    {
        var s = 0.0;
        for (var i = 2; i <= k; i++) s += Math.Log(i);
        return s;
    }

    /// <summary>The z whose one-sided normal upper tail is <paramref name="tail"/> (Acklam's inverse, ample for alert thresholds).</summary>
    public static double ZOfTail(double tail)
    {
        if (tail >= 0.5) return 0;
        if (tail < 1e-17) return 8.5;
        var q = Math.Sqrt(-2 * Math.Log(tail));
        // Acklam's rational approximation for the lower region, mirrored.
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        var x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        return Math.Min(8.5, -x);
    }

    private static double LogChoose(int n, int k)
    {
        var s = 0.0;
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
